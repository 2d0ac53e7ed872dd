import { Module, type OnModuleInit } from '@nestjs/common';
import { Metrics } from '#libs/platform';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InventoryModule } from '#libs/inventory';
import { IdempotencyKeys } from './idempotency-keys.js';
import { OrderEventsRelay } from './order-events-relay.js';
import { Order, OrderEvent, OrderItem } from './order.entity.js';
import { OrdersService } from './orders.service.js';

@Module({
  imports: [InventoryModule, TypeOrmModule.forFeature([Order, OrderItem, OrderEvent])],
  providers: [OrdersService, IdempotencyKeys, OrderEventsRelay],
  exports: [OrdersService, IdempotencyKeys, OrderEventsRelay],
})
export class OrdersModule implements OnModuleInit {
  constructor(
    private readonly relay: OrderEventsRelay,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.relay.register(async (events) => {
      for (const event of events) this.metrics.orderEvents.inc({ type: event.type });
    });
  }
}
