import { CacheableMemory } from '@cacheable/memory';
import { CACHE_MANAGER, type Cache } from '@nestjs/cache-manager';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { InvalidationChannel } from './invalidation-channel.js';
import { REDIS } from './redis.token.js';

/** Give up on the cache quickly: PostgreSQL answering is better than waiting on Redis. */
const CACHE_TIMEOUT_MS = 150;
/** How long a process keeps an entry for itself; admin writes still reach it at once. */
const LOCAL_TTL_MS = 1_000;
const LOCAL_ENTRIES = 1_000;

function withTimeout<T>(promise: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), CACHE_TIMEOUT_MS);
  });
  return Promise.race([promise.catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Read-through cache for public reads: a second of in-process memory in front of cache-manager on
 * Redis. Each namespace has a version in Redis that writers bump, so an admin change is visible
 * on the very next read (old entries are simply never read again and expire). Every process
 * hears the bumps on a pub/sub channel and keeps the versions in memory, so a hit costs no
 * round trip; while that subscription is down it asks Redis for the version on every read, and
 * while Redis is away it reads from the loader.
 */
@Injectable()
export class ReadCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ReadCache.name);
  private readonly local = new CacheableMemory({
    lruSize: LOCAL_ENTRIES,
    useClone: false,
    storeHashSize: 1, // one map: no key hashing on the hot path
  });
  /** Namespace versions as heard on the channel; trusted only while it is listening. */
  private readonly versions = new Map<string, number>();
  /** The fills under way, by full key (namespace, version and key). */
  private readonly filling = new Map<string, Promise<string>>();
  private readonly channel: InvalidationChannel;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.channel = new InvalidationChannel(
      redis,
      'cachever',
      {
        heard: (message) => {
          const [namespace, version] = message.split(' ');
          if (namespace && version) this.remember(namespace, Number(version), this.channel.epoch);
        },
        reset: () => this.versions.clear(),
      },
      this.logger,
    );
  }

  onModuleInit(): void {
    this.channel.start();
  }

  onApplicationShutdown(): void {
    this.channel.stop();
  }

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
    const version = await this.version(namespace);
    if (version === undefined) return JSON.stringify(await load()); // Redis is away: straight to PostgreSQL.
    const fullKey = `${namespace}:${version}:${key}`;
    const near = this.local.get<string>(fullKey);
    if (near !== undefined) return near;
    // One fill per key at a time: when an entry expires under load, every request that misses
    // waits for the same Redis read and, on a miss there, the same load (measured: without it, the
    // store's promotions were loaded by a tenth of all placements, not once per expiry).
    let filling = this.filling.get(fullKey);
    if (!filling) {
      filling = this.fill(fullKey, ttlMs, load).finally(() => this.filling.delete(fullKey));
      this.filling.set(fullKey, filling);
    }
    return filling;
  }

  private async fill<T>(fullKey: string, ttlMs: number, load: () => Promise<T>): Promise<string> {
    const localTtl = Math.min(ttlMs, LOCAL_TTL_MS);
    const hit = await withTimeout(this.cache.get<string>(fullKey), undefined);
    if (typeof hit === 'string') {
      this.local.set(fullKey, hit, localTtl);
      return hit;
    }
    const text = JSON.stringify(await load());
    this.local.set(fullKey, text, localTtl);
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
    try {
      const version = await this.redis.incr(versionKey(namespace));
      this.remember(namespace, version, this.channel.epoch);
      await this.channel.publish(`${namespace} ${version}`);
    } catch (err) {
      this.logger.warn({ err, namespace }, 'cache invalidation failed; entries expire by TTL');
    }
  }

  /** The namespace's current version; undefined when Redis does not answer. */
  private async version(namespace: string): Promise<number | undefined> {
    const known = this.channel.listening ? this.versions.get(namespace) : undefined;
    if (known !== undefined) return known;
    const epoch = this.channel.epoch;
    const text = await withTimeout<string | null | undefined>(
      this.redis.get(versionKey(namespace)),
      undefined,
    );
    if (text === undefined) return undefined;
    const version = Number(text ?? 0);
    this.remember(namespace, version, epoch);
    return version;
  }

  /** Versions only grow; one read before the current subscription began may have missed a bump. */
  private remember(namespace: string, version: number, epoch: number): void {
    if (!this.channel.listening || epoch !== this.channel.epoch) return;
    if (version > (this.versions.get(namespace) ?? -1)) this.versions.set(namespace, version);
  }
}

const versionKey = (namespace: string) => `cachever:${namespace}`;
