import { Module } from '@nestjs/common';
import { OrdersModule } from '#libs/orders';
import { OrderEventFeed } from './order-event-feed.js';
import { RiderLocations } from './rider-locations.js';
import { TrackingEmitter } from './tracking-emitter.js';
import { TrackingPublisher } from './tracking-publisher.js';

/**
 * Realtime tracking plumbing shared by the api and the worker: the outbox consumer that publishes
 * committed order events to Redis (TrackingPublisher), the feed every api instance's gateway
 * listens to (OrderEventFeed), rider positions, and the emitter for processes without sockets.
 */
@Module({
  imports: [OrdersModule],
  providers: [OrderEventFeed, RiderLocations, TrackingEmitter, TrackingPublisher],
  exports: [OrderEventFeed, RiderLocations, TrackingEmitter, TrackingPublisher],
})
export class TrackingModule {}
