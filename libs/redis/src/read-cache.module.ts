import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { Keyv } from 'keyv';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { ReadCache } from './read-cache.js';

/**
 * @nestjs/cache-manager 3+ / cache-manager 6+ speak Keyv, so the Redis store is @keyv/redis
 * (cache-manager-redis-yet targets the old store API and no longer works). Errors never throw and
 * commands are not queued while Redis is away; the client reconnects with backoff.
 */
@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const namespace = `${config.redis.prefix}:cache`;
        const store = new KeyvRedis(
          {
            url: config.redis.url,
            disableOfflineQueue: true,
            socket: {
              connectTimeout: 1_000,
              reconnectStrategy: (retries: number) => Math.min(retries * 200, 2_000),
            },
          },
          { namespace, throwOnConnectError: false, throwOnErrors: false, connectionTimeout: 1_000 },
        );
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
