import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

/**
 * cache-manager's Redis store (a Keyv store adapter) on the process's own ioredis connection.
 * @keyv/redis would bring node-redis, a second Redis client library (about 3 MB of heap per
 * process) and a connection of its own. Keys are `<prefix>:cache:<key>` (the connection adds the
 * prefix); values are Keyv's serialised entries, TTLs in milliseconds. A failed command rejects:
 * Keyv, built with `throwOnErrors: false`, turns that into a miss, and ReadCache gives up on the
 * cache after 150 ms anyway.
 */
export class RedisCacheStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = {};
  namespace?: string;

  constructor(
    private readonly redis: Redis,
    /** The deployment's prefix, which the connection adds to every key it names. */
    private readonly redisPrefix: string,
  ) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return ((await this.redis.get(keyOf(key))) ?? undefined) as StoredData<Value> | undefined;
  }

  async set(key: string, value: string, ttl?: number): Promise<boolean> {
    if (ttl) await this.redis.set(keyOf(key), value, 'PX', ttl);
    else await this.redis.set(keyOf(key), value);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(keyOf(key))) > 0;
  }

  /** Every cache entry of this deployment (SCAN's pattern is not prefixed by the connection). */
  async clear(): Promise<void> {
    const prefix = `${this.redisPrefix}:`;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        `${prefix}${keyOf('*')}`,
        'COUNT',
        500,
      );
      if (keys.length) await this.redis.unlink(...keys.map((k) => k.slice(prefix.length)));
      cursor = next;
    } while (cursor !== '0');
  }
}

const keyOf = (key: string) => `cache:${key}`;
