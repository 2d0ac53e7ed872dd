import { CACHE_MANAGER, type Cache } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from './redis.token.js';

/** Give up on the cache quickly: PostgreSQL answering is better than waiting on Redis. */
const CACHE_TIMEOUT_MS = 150;

function withTimeout<T>(promise: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), CACHE_TIMEOUT_MS);
  });
  return Promise.race([promise.catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Read-through cache for public reads (cache-manager on a Redis store). Each namespace has a
 * version in Redis that writers bump, so an admin change is visible on the very next read
 * (old entries are simply never read again and expire). Redis down = read from the loader.
 */
@Injectable()
export class ReadCache {
  private readonly logger = new Logger(ReadCache.name);

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /**
   * The value as JSON text: what a cache hit returns without parsing, so a handler can send it
   * as is (a catalog page is parsed and serialised zero times per hit).
   */
  async getOrLoadJson<T>(
    namespace: string,
    key: string,
    ttlMs: number,
    load: () => Promise<T>,
  ): Promise<string> {
    const version = await withTimeout<string | null | undefined>(
      this.redis.get(`cachever:${namespace}`),
      undefined,
    );
    if (version === undefined) return JSON.stringify(await load()); // Redis is away: straight to PostgreSQL.
    const fullKey = `${namespace}:${version ?? 0}:${key}`;
    const hit = await withTimeout(this.cache.get<string>(fullKey), undefined);
    if (typeof hit === 'string') return hit;
    const text = JSON.stringify(await load());
    void withTimeout(this.cache.set(fullKey, text, ttlMs), undefined);
    return text;
  }

  async getOrLoad<T>(
    namespace: string,
    key: string,
    ttlMs: number,
    load: () => Promise<T>,
  ): Promise<T> {
    return JSON.parse(await this.getOrLoadJson(namespace, key, ttlMs, load)) as T;
  }

  /** Makes every cached entry of the namespace unreachable (call after a committed write). */
  async invalidate(namespace: string): Promise<void> {
    await this.redis.incr(`cachever:${namespace}`).catch((err: unknown) => {
      this.logger.warn({ err, namespace }, 'cache invalidation failed; entries expire by TTL');
    });
  }
}
