import { Module } from '@nestjs/common';
import { DispatchModule } from '#libs/dispatch';
import { OrdersModule } from '#libs/orders';
import { AdminDispatchController } from './admin-dispatch.controller.js';
import { RiderDispatchController } from './rider-dispatch.controller.js';

@Module({
  imports: [DispatchModule, OrdersModule],
  controllers: [RiderDispatchController, AdminDispatchController],
})
export class DispatchHttpModule {}
