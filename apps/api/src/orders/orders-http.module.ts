import { Module } from '@nestjs/common';
import { OrdersModule } from '#libs/orders';
import { OrdersController } from './orders.controller.js';
import { AdminOrdersController, RiderOrdersController } from './staff-orders.controller.js';

@Module({
  imports: [OrdersModule],
  controllers: [OrdersController, AdminOrdersController, RiderOrdersController],
})
export class OrdersHttpModule {}
