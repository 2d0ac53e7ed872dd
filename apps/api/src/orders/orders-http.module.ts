import { Module } from '@nestjs/common';
import { NotificationsModule } from '#libs/notifications';
import { OrdersModule } from '#libs/orders';
import { NotificationsController } from '../notifications/notifications.controller.js';
import { OrdersController } from './orders.controller.js';
import { AdminOrdersController, RiderOrdersController } from './staff-orders.controller.js';

@Module({
  imports: [OrdersModule, NotificationsModule],
  controllers: [
    OrdersController,
    AdminOrdersController,
    RiderOrdersController,
    NotificationsController,
  ],
})
export class OrdersHttpModule {}
