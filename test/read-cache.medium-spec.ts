import type { Cache } from '@nestjs/cache-manager';
import { createCache } from 'cache-manager';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ReadCache } from '#libs/redis';

/**
 * The read cache against the real Redis (its namespace versions and invalidation channel), with
 * cache-manager's in-memory store in place of the app's Keyv-on-Redis one.
 */
describe('read cache', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let redis: Redis;
  let cache: ReadCache;

  beforeAll(async () => {
    redis = new Redis(url, { keyPrefix: `${process.env.REDIS_PREFIX}_readcache:` });
    cache = new ReadCache(createCache() as unknown as Cache, redis);
    cache.onModuleInit();
  });
  afterAll(() => {
    cache.onApplicationShutdown();
    redis.disconnect();
  });

  /**
   * When an entry expires under load, every request that misses at that moment used to run the
   * loader: a store's promotions were read by a tenth of all placements in `make bench`.
   */
  it('loads a missing entry once for all the requests that miss it at the same time', async () => {
    const namespace = `ns-${randomUUID()}`;
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      return { loaded: loads };
    };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => cache.getOrLoad(namespace, 'k', 2_000, load)),
    );
    expect(loads).toBe(1);
    expect(answers).toEqual(Array.from({ length: 50 }, () => ({ loaded: 1 })));
    // A failed load is not kept: the next request loads again.
    const failing = Promise.all(
      Array.from({ length: 5 }, () =>
        cache.getOrLoad(namespace, 'broken', 2_000, () => Promise.reject(new Error('down'))),
      ),
    );
    await expect(failing).rejects.toThrow('down');
    await expect(cache.getOrLoad(namespace, 'broken', 2_000, async () => 'back')).resolves.toBe(
      'back',
    );
    // After an invalidation the next read loads the new value.
    await cache.invalidate(namespace);
    await expect(cache.getOrLoad(namespace, 'k', 2_000, load)).resolves.toEqual({ loaded: 2 });
  });
});
