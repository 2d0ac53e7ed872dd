import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '#libs/auth';
import { InventoryModule } from '#libs/inventory';
import { JobsModule } from '#libs/jobs';
import { OrdersModule } from '#libs/orders';
import { DispatchConsumer } from './dispatch.consumer.js';
import { Dispatcher } from './dispatcher.js';
import { RiderOffer } from './rider-offer.entity.js';
import { RiderShift } from './rider-shift.entity.js';
import { RiderShifts } from './rider-shifts.js';

/** Riders on shift and automatic assignment (docs/dispatch.md). */
@Module({
  imports: [
    AuthModule,
    InventoryModule,
    OrdersModule,
    JobsModule,
    TypeOrmModule.forFeature([RiderShift, RiderOffer]),
  ],
  providers: [Dispatcher, RiderShifts, DispatchConsumer],
  exports: [Dispatcher, RiderShifts, DispatchConsumer],
})
export class DispatchModule {}
