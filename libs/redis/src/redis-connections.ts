import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import type { AppConfig } from '#libs/config';
import { watchConnection } from './connection-watch.js';

/**
 * Every Redis connection FlashCart opens, with its timeouts and retry policy in one place.
 *
 * - `commands`: a command fails after 1 s instead of queueing while Redis is away (callers fall
 *   back or retry), and the connection comes back by itself with backoff.
 * - `subscriber`: pub/sub connections wait for Redis indefinitely (no command timeout) and
 *   resubscribe after a reconnect.
 */
export type RedisRole = 'commands' | 'subscriber';

const RETRY = (attempt: number) => Math.min(attempt * 200, 2_000);

function options(role: RedisRole): RedisOptions {
  // A connection closed while Redis is away would otherwise keep a 2 s timer (and the process).
  const shared = { connectTimeout: 2_000, disconnectTimeout: 200, retryStrategy: RETRY };
  return role === 'commands'
    ? { ...shared, commandTimeout: 1_000, maxRetriesPerRequest: 1 }
    : { ...shared, maxRetriesPerRequest: null };
}

const logger = new Logger('Redis');

/**
 * A new ioredis connection; `keyPrefix` adds the deployment's prefix to every key it names.
 * Its failures are logged once per 30 s (an ioredis client without an `error` listener prints
 * every reconnect attempt to stderr).
 */
export function redisConnection(
  config: AppConfig,
  role: RedisRole,
  name: string,
  o: { keyPrefix?: boolean } = {},
): Redis {
  const connection = new Redis(config.redis.url, {
    ...options(role),
    connectionName: `flashcart:${name}`,
    ...(o.keyPrefix ? { keyPrefix: `${config.redis.prefix}:` } : {}),
  });
  watchConnection(connection, logger, name);
  return connection;
}

/**
 * Connection options for BullMQ, which opens its own connections: blocking commands must wait
 * for Redis instead of failing (the outbox relay bounds how long an enqueue may take).
 */
export function queueConnectionOptions(config: AppConfig): RedisOptions {
  const url = new URL(config.redis.url);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    ...options('subscriber'),
    connectionName: 'flashcart:queues',
  };
}
