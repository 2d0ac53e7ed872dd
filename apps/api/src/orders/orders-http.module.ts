import { Module } from '@nestjs/common';
import { JobsModule } from '#libs/jobs';
import { NotificationsModule } from '#libs/notifications';
import { NotificationsController } from '../notifications/notifications.controller.js';
import { OrdersController } from './orders.controller.js';
import { AdminOrdersController, RiderOrdersController } from './staff-orders.controller.js';

@Module({
  // JobsModule turns committed order events into jobs for the worker.
  imports: [JobsModule, NotificationsModule],
  controllers: [
    OrdersController,
    AdminOrdersController,
    RiderOrdersController,
    NotificationsController,
  ],
})
export class OrdersHttpModule {}
