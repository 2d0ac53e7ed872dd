import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Keyv } from 'keyv';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { RedisCacheStore } from './cache-store.js';
import { ReadCache } from './read-cache.js';
import { REDIS } from './redis.token.js';

/**
 * @nestjs/cache-manager 3+ / cache-manager 6+ speak Keyv, so the Redis store is a Keyv store
 * adapter (cache-manager-redis-yet targets the old store API and no longer works): ours, on the
 * process's ioredis connection (see RedisCacheStore).
 */
@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [APP_CONFIG, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => {
        const namespace = `${config.redis.prefix}:cache`;
        const store = new RedisCacheStore(redis, config.redis.prefix);
        return {
          stores: [new Keyv({ store, namespace, useKeyPrefix: false, throwOnErrors: false })],
        };
      },
    }),
  ],
  providers: [ReadCache],
  exports: [ReadCache],
})
export class ReadCacheModule {}
