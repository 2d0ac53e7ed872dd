import { Module } from '@nestjs/common';
import { NotificationsModule } from '#libs/notifications';
import { AccountsHttpModule } from '../accounts/accounts-http.module.js';
import { OrdersModule } from '#libs/orders';
import { NotificationsController } from '../notifications/notifications.controller.js';
import { OrdersController } from './orders.controller.js';
import { AdminOrdersController, RiderOrdersController } from './staff-orders.controller.js';

@Module({
  imports: [OrdersModule, NotificationsModule, AccountsHttpModule],
  controllers: [
    OrdersController,
    AdminOrdersController,
    RiderOrdersController,
    NotificationsController,
  ],
})
export class OrdersHttpModule {}
