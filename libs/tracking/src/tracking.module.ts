import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { OrderEventsRelay, OrdersModule } from '#libs/orders';
import { REDIS } from '#libs/redis';
import { OrderEventFeed } from './order-event-feed.js';
import { orderEventsChannel } from './order-events-channel.js';
import { RiderLocations } from './rider-locations.js';
import { TrackingEmitter } from './tracking-emitter.js';

/**
 * Publishing order events to realtime subscribers, from whichever process relays them (api or
 * worker): committed events go to a Redis channel that every api instance's gateway listens to.
 */
@Module({
  imports: [OrdersModule],
  providers: [OrderEventFeed, RiderLocations, TrackingEmitter],
  exports: [OrderEventFeed, RiderLocations, TrackingEmitter, OrdersModule],
})
export class TrackingModule implements OnModuleInit {
  constructor(
    private readonly relay: OrderEventsRelay,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const channel = orderEventsChannel(this.config);
    this.relay.register(async (events) => {
      const pipeline = this.redis.pipeline();
      for (const event of events) pipeline.publish(channel, JSON.stringify(event));
      const failed = (await pipeline.exec())?.find(([err]) => err);
      if (failed) throw failed[0]; // the relay keeps the rows and retries
    });
  }
}
