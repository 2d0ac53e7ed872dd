import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { RateLimiter } from './rate-limiter.js';
import { REDIS } from './redis.token.js';

/**
 * Options for every ioredis connection we open. Commands time out instead of queueing forever
 * while Redis is away, and the client reconnects by itself when it comes back.
 */
export function redisOptions(extra: RedisOptions = {}): RedisOptions {
  return {
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...extra,
  };
}

export function createRedis(config: AppConfig, extra: RedisOptions = {}): Redis {
  return new Redis(
    config.redis.url,
    redisOptions({ keyPrefix: `${config.redis.prefix}:`, connectionName: 'flashcart', ...extra }),
  );
}

@Global()
@Module({
  providers: [{ provide: REDIS, inject: [APP_CONFIG], useFactory: createRedis }, RateLimiter],
  exports: [REDIS, RateLimiter],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    // QUIT would wait for a reconnect while Redis is away; then just drop the connection.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

/** ioredis options from a redis:// URL, for libraries that take options rather than a URL. */
export function redisConnectionFromUrl(url: string, extra: RedisOptions = {}): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    ...extra,
  };
}
