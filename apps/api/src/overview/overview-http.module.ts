import { Module } from '@nestjs/common';
import { OrdersModule } from '#libs/orders';
import { AdminOverviewController } from './admin-overview.controller.js';

@Module({ imports: [OrdersModule], controllers: [AdminOverviewController] })
export class OverviewHttpModule {}
