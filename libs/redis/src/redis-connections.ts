import { Logger } from '@nestjs/common';
import { Redis, type Command, type RedisOptions } from 'ioredis';
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
 * A connection handed to a library that sends commands without awaiting them (socket.io's Redis
 * adapter and emitter: every publish, and the adapter's unsubscribes as the server closes, just
 * before we close the connection). Such a command failing (Redis away, or too slow to answer
 * before the close) would be an unhandled rejection, which ends the process; here it costs only
 * that message (an outage is logged by the connection anyway). Whoever awaits a command still
 * gets its error.
 */
class FireAndForgetRedis extends Redis {
  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    command.promise.catch(() => undefined);
    return super.sendCommand(command, stream);
  }
}

/**
 * A new ioredis connection; `keyPrefix` adds the deployment's prefix to every key it names;
 * `fireAndForget` for one handed to a library that does not await its commands.
 * Its failures are logged once per 30 s (an ioredis client without an `error` listener prints
 * every reconnect attempt to stderr).
 */
export function redisConnection(
  config: AppConfig,
  role: RedisRole,
  name: string,
  o: { keyPrefix?: boolean; fireAndForget?: boolean } = {},
): Redis {
  const connection = new (o.fireAndForget ? FireAndForgetRedis : Redis)(config.redis.url, {
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
