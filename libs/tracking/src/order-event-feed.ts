import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import type { OrderEventView } from '#libs/orders';
import { redisOptions } from '#libs/redis';
import { orderEventsChannel } from './order-events-channel.js';

export type OrderEventListener = (event: OrderEventView) => void;

/**
 * Committed order events as they are published, from any process (api or worker), for this
 * process's realtime subscribers. Connects on the first listener; reconnects by itself.
 */
@Injectable()
export class OrderEventFeed implements OnApplicationShutdown {
  private readonly logger = new Logger(OrderEventFeed.name);
  private readonly listeners: OrderEventListener[] = [];
  private subscriber?: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onEvent(listener: OrderEventListener): Promise<void> {
    this.listeners.push(listener);
    if (this.subscriber) return;
    const channel = orderEventsChannel(this.config);
    // A subscriber connection may wait for Redis indefinitely (no command timeout).
    this.subscriber = new Redis(
      this.config.redis.url,
      redisOptions({ commandTimeout: undefined, maxRetriesPerRequest: null }),
    );
    this.subscriber.on('message', (_channel: string, message: string) => {
      const event = JSON.parse(message) as OrderEventView;
      for (const deliver of this.listeners) deliver(event);
    });
    this.subscriber.on('error', (err) =>
      this.logger.warn({ err }, 'order event feed connection error'),
    );
    await this.subscriber.subscribe(channel);
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
  }
}
