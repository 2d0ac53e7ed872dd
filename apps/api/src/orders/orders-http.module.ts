import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { DispatchModule } from '#libs/dispatch';
import { InventoryModule } from '#libs/inventory';
import { NotificationsModule } from '#libs/notifications';
import { AccountsHttpModule } from '../accounts/accounts-http.module.js';
import { OrdersModule } from '#libs/orders';
import { ProductsModule } from '#libs/products';
import { NotificationsController } from '../notifications/notifications.controller.js';
import { OrdersController } from './orders.controller.js';
import { AdminOrdersController, RiderOrdersController } from './staff-orders.controller.js';

@Module({
  imports: [
    OrdersModule,
    NotificationsModule,
    AccountsHttpModule,
    AuthModule,
    DispatchModule,
    InventoryModule,
    ProductsModule,
  ],
  controllers: [
    OrdersController,
    AdminOrdersController,
    RiderOrdersController,
    NotificationsController,
  ],
})
export class OrdersHttpModule {}
