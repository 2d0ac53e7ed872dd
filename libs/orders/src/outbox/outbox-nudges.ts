import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { REDIS, redisConnection } from '#libs/redis';

/**
 * "An order event was committed here" for the other processes: the one that holds a consumer's
 * lease then delivers at once instead of at its next poll (the poll stays the guarantee; a nudge
 * lost while Redis is away only costs those 50 ms).
 */
@Injectable()
export class OutboxNudges implements OnApplicationShutdown {
  private subscriber?: Redis;
  private readonly channel: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.channel = `${config.redis.prefix}:outbox-nudge`;
  }

  /** Fire and forget. */
  send(from: string): void {
    this.redis.publish(this.channel, from).catch(() => undefined);
  }

  /** Calls `listener` for nudges sent by other processes than `self`. */
  listen(self: string, listener: () => void): void {
    this.subscriber = redisConnection(this.config, 'subscriber', 'outbox-nudges');
    this.subscriber.on('message', (_channel: string, from: string) => {
      if (from !== self) listener();
    });
    this.subscriber.subscribe(this.channel).catch(() => undefined); // resubscribes by itself
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }
}
