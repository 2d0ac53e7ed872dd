import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { DispatchModule } from '#libs/dispatch';
import { OrdersModule } from '#libs/orders';
import { TrackingModule } from '#libs/tracking';
import { ConnectionLimits } from './connection-limits.js';
import { TrackingDocsController } from './tracking-docs.controller.js';
import { TrackingGateway } from './tracking.gateway.js';

@Module({
  imports: [AuthModule, OrdersModule, TrackingModule, DispatchModule],
  controllers: [TrackingDocsController],
  providers: [TrackingGateway, ConnectionLimits],
})
export class TrackingHttpModule {}
