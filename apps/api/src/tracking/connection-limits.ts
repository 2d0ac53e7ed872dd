import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { REDIS, RedisOutageBreaker } from '#libs/redis';

/** An entry not renewed for this long belongs to a process that died: it no longer counts. */
const LEASE_MS = 60_000;
const RENEW_EVERY_MS = LEASE_MS / 3;

/**
 * Drops expired entries, then adds the socket to both sets only if neither is full: atomic, so
 * concurrent connects on any number of instances never exceed a limit. 0 = admitted,
 * 1 = the user's limit, 2 = the IP's.
 */
const ADMIT = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 2 end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[i], ARGV[6])
end
return 0`;

/** A socket as counted: its id and the two sets it is in. */
export interface CountedSocket {
  id: string;
  userId: string;
  ip: string;
}

export type Admission = 'admitted' | 'user' | 'ip';

/**
 * The open tracking sockets per user and per client IP, counted in Redis so the limits hold
 * across every api instance: a sorted set per user and per IP of socket ids, scored by a lease
 * that each instance renews for its own sockets (a crashed instance's sockets stop counting
 * within LEASE_MS). Fails open: while Redis is unreachable, connections are admitted uncounted
 * (tracking keeps working through an outage) and the renewal adds them once Redis is back.
 */
@Injectable()
export class ConnectionLimits implements OnModuleDestroy {
  private readonly breaker: RedisOutageBreaker;
  private renewal?: NodeJS.Timeout;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.breaker = new RedisOutageBreaker(
      redis,
      new Logger(ConnectionLimits.name),
      'tracking connection limits not enforced',
    );
  }

  /** Counts the socket in, unless its user or IP is at its limit. */
  admit(socket: CountedSocket): Promise<Admission> {
    const { maxSocketsPerUser, maxSocketsPerIp } = this.config.tracking;
    return this.breaker.run(
      async () => {
        const now = Date.now();
        const refused = await this.redis.eval(
          ADMIT,
          2,
          userKey(socket),
          ipKey(socket),
          now,
          now + LEASE_MS,
          socket.id,
          maxSocketsPerUser,
          maxSocketsPerIp,
          LEASE_MS,
        );
        return refused === 1 ? 'user' : refused === 2 ? 'ip' : 'admitted';
      },
      () => 'admitted' as const,
    );
  }

  /** Counts the socket out (on disconnect). */
  async release(socket: CountedSocket): Promise<void> {
    await this.breaker.run(
      () =>
        this.redis.multi().zrem(userKey(socket), socket.id).zrem(ipKey(socket), socket.id).exec(),
      () => null,
    );
  }

  /** Renews the lease of this instance's open sockets until the module stops. */
  keepCounting(sockets: () => Iterable<CountedSocket>): void {
    this.renewal = setInterval(() => void this.renew([...sockets()]), RENEW_EVERY_MS);
    this.renewal.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.renewal);
  }

  private async renew(sockets: CountedSocket[]): Promise<void> {
    if (sockets.length === 0) return;
    const until = Date.now() + LEASE_MS;
    await this.breaker.run(
      async () => {
        const batch = this.redis.pipeline();
        for (const socket of sockets)
          for (const key of [userKey(socket), ipKey(socket)])
            batch.zadd(key, until, socket.id).pexpire(key, LEASE_MS);
        await batch.exec();
      },
      () => undefined,
    );
  }
}

const userKey = (s: CountedSocket) => `ws:user:${s.userId}`;
const ipKey = (s: CountedSocket) => `ws:ip:${s.ip}`;
