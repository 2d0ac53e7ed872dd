import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { OrdersModule } from '../orders.module.js';
import { ORDER_EVENT_CONSUMERS, type OrderEventConsumer } from './order-event-consumer.js';
import { OrderEventsRelay } from './order-events-relay.js';
import { OutboxNudges } from './outbox-nudges.js';
import { OutboxStore } from './outbox-store.js';

/**
 * Runs the outbox relay for the given consumers and the modules that provide them. FlashCart's
 * list is declared once, in libs/outbox-consumers (OutboxConsumersModule), for both processes.
 */
@Module({})
export class OutboxModule {
  static forConsumers(
    consumers: Type<OrderEventConsumer>[],
    imports: NonNullable<ModuleMetadata['imports']>,
  ): DynamicModule {
    return {
      module: OutboxModule,
      imports: [OrdersModule, ...imports],
      providers: [
        OutboxStore,
        OutboxNudges,
        OrderEventsRelay,
        {
          provide: ORDER_EVENT_CONSUMERS,
          inject: consumers,
          useFactory: (...instances: OrderEventConsumer[]) => instances,
        },
      ],
      exports: [OrderEventsRelay],
    };
  }
}
