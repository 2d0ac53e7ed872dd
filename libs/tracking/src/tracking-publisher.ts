import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import type { OrderEventConsumer, OrderEventView } from '#libs/orders';
import { Metrics } from '#libs/platform';
import { REDIS } from '#libs/redis';
import { orderEventsChannel } from './order-events-channel.js';

/**
 * Outbox consumer `tracking`: publishes committed order events on the Redis channel every api
 * instance's gateway listens to. Done only when Redis confirmed every PUBLISH (each times out
 * after the connection's command timeout); a subscriber that was away catches up from
 * order_events when it reconnects, so a publish that reached nobody loses nothing.
 */
@Injectable()
export class TrackingPublisher implements OrderEventConsumer {
  readonly name = 'tracking';

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async handle(events: OrderEventView[]): Promise<void> {
    const channel = orderEventsChannel(this.config);
    const pipeline = this.redis.pipeline();
    for (const event of events) pipeline.publish(channel, JSON.stringify(event));
    const failed = (await pipeline.exec())?.find(([err]) => err);
    if (failed) throw failed[0];
    for (const event of events) this.metrics.orderEvents.inc({ type: event.type });
  }
}
