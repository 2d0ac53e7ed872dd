import { Module } from '@nestjs/common';
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
export class OrdersModule {}
