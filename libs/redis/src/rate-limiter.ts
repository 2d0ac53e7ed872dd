import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisOutageBreaker } from './outage-breaker.js';
import { REDIS } from './redis.token.js';

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

/**
 * Fixed-window counters in Redis, so a limit holds across every api instance.
 * Fails open when Redis is unreachable: auth keeps working, and the outage is logged.
 */
@Injectable()
export class RateLimiter {
  private readonly breaker: RedisOutageBreaker;

  constructor(@Inject(REDIS) private readonly redis: Redis) {
    this.breaker = new RedisOutageBreaker(
      redis,
      new Logger(RateLimiter.name),
      'rate limits not enforced',
    );
  }

  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    return this.breaker.run(
      () => this.count(key, limit, windowSeconds),
      () => ({ allowed: true, retryAfter: 0 }),
    );
  }

  private async count(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const redisKey = `rl:${key}`;
    const results = await this.redis
      .multi()
      .incr(redisKey)
      .expire(redisKey, windowSeconds, 'NX')
      .ttl(redisKey)
      .exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    const ttl = Number(results?.[2]?.[1] ?? windowSeconds);
    return { allowed: count <= limit, retryAfter: Math.max(1, ttl) };
  }
}
