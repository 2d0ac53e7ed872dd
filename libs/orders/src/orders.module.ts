import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '#libs/auth';
import { InventoryModule } from '#libs/inventory';
import { PromotionsModule } from '#libs/promotions';
import { StoreCapacity } from './capacity/store-capacity.js';
import { OrdersPersonalData } from './order-personal-data.js';
import { OrderQueries } from './order-queries.js';
import { OrderShortPicks } from './order-short-picks.js';
import { OrderTransitions } from './order-transitions.js';
import { Order, OrderEvent, OrderItem } from './order.entity.js';
import { OutboxSignal } from './outbox/outbox-signal.js';
import { StoreDayOverview } from './overview/store-day-overview.js';
import { CustomerQueue } from './placement/customer-queue.js';
import { OrderStaffNote } from './staff-notes/order-staff-note.entity.js';
import { OrderStaffNotes } from './staff-notes/order-staff-notes.js';
import { IdempotencyKeys } from './placement/idempotency.js';
import { OrderPlacement } from './placement/order-placement.js';

const SERVICES = [
  OrderPlacement,
  OrderTransitions,
  OrderQueries,
  OrderShortPicks,
  StoreCapacity,
  CustomerQueue,
  IdempotencyKeys,
  OutboxSignal,
  OrdersPersonalData,
  StoreDayOverview,
  OrderStaffNotes,
];

/** Orders: placement, transitions and queries (the outbox relay runs in OutboxModule). */
@Module({
  imports: [
    AuthModule,
    InventoryModule,
    PromotionsModule,
    TypeOrmModule.forFeature([Order, OrderItem, OrderEvent, OrderStaffNote]),
  ],
  providers: SERVICES,
  exports: SERVICES,
})
export class OrdersModule {}
