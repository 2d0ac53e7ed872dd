import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import type { OrderEventView } from '#libs/orders';
import { redisConnection } from '#libs/redis';
import { orderEventsChannel } from './order-events-channel.js';

export type OrderEventListener = (event: OrderEventView) => void;

/**
 * Committed order events as they are published, from any process (api or worker), for this
 * process's realtime subscribers. Connects on the first listener and reconnects by itself.
 * Whatever was published while the connection was away reached nobody here: after each
 * reconnect, once subscribed again, `onResume` listeners catch up from order_events.
 */
@Injectable()
export class OrderEventFeed implements OnApplicationShutdown {
  private readonly logger = new Logger(OrderEventFeed.name);
  private readonly listeners: OrderEventListener[] = [];
  private readonly resumeListeners: (() => void)[] = [];
  private subscriber?: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Called after every reconnect, once the channel is subscribed again. */
  onResume(listener: () => void): void {
    this.resumeListeners.push(listener);
  }

  async onEvent(listener: OrderEventListener): Promise<void> {
    this.listeners.push(listener);
    if (this.subscriber) return;
    const channel = orderEventsChannel(this.config);
    const subscriber = redisConnection(this.config, 'subscriber', 'order-events');
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, message: string) => {
      const event = JSON.parse(message) as OrderEventView;
      for (const deliver of this.listeners) deliver(event);
    });
    let lost = false;
    // Failures are logged by the connection factory; here they only mean "catch up when back".
    subscriber.on('error', () => (lost = true));
    subscriber.on('close', () => (lost = true));
    subscriber.on('ready', () => {
      if (!lost) return;
      lost = false;
      // Subscribed again (explicitly, so the reply orders after it): anything published from now
      // on arrives here, and anything before is in order_events.
      subscriber.subscribe(channel).then(
        () => {
          this.logger.log('order event feed reconnected; catching subscribers up');
          for (const resume of this.resumeListeners) resume();
        },
        (err: unknown) => this.logger.warn({ err }, 'order event feed could not resubscribe'),
      );
    });
    await subscriber.subscribe(channel);
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
  }
}
