import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { Keyv } from 'keyv';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { ReadCache } from './read-cache.js';
import { cacheStore } from './redis-connections.js';

/**
 * @nestjs/cache-manager 3+ / cache-manager 6+ speak Keyv, so the Redis store is @keyv/redis
 * (cache-manager-redis-yet targets the old store API and no longer works); see `cacheStore`.
 */
@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const namespace = `${config.redis.prefix}:cache`;
        const store = cacheStore(config, namespace);
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
