import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { RateLimiter } from './rate-limiter.js';
import { redisConnection } from './redis-connections.js';
import { REDIS } from './redis.token.js';

export function createRedis(config: AppConfig): Redis {
  return redisConnection(config, 'commands', 'main', { keyPrefix: true });
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
