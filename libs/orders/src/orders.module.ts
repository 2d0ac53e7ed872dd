import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InventoryModule } from '#libs/inventory';
import { IdempotencyKeys } from './idempotency-keys.js';
import { Order, OrderEvent, OrderItem } from './order.entity.js';
import { OrdersService } from './orders.service.js';
import { OutboxSignal } from './outbox/outbox-signal.js';

@Module({
  imports: [InventoryModule, TypeOrmModule.forFeature([Order, OrderItem, OrderEvent])],
  providers: [OrdersService, IdempotencyKeys, OutboxSignal],
  exports: [OrdersService, IdempotencyKeys, OutboxSignal],
})
export class OrdersModule {}
