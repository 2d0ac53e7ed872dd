import { Module } from '@nestjs/common';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { DispatchConsumer, DispatchModule } from '#libs/dispatch';
import {
  JobsModule,
  NotificationJobsScheduler,
  OrderJobsScheduler,
  SimulationJobsScheduler,
} from '#libs/jobs';
import { OutboxModule } from '#libs/orders';
import { PlatformModule } from '#libs/platform';
import { ReadCacheModule, RedisModule } from '#libs/redis';
import { TrackingModule, TrackingPublisher } from '#libs/tracking';
import { AuthHttpModule } from './auth/auth-http.module.js';
import { CartHttpModule } from './cart/cart-http.module.js';
import { CatalogHttpModule } from './catalog/catalog-http.module.js';
import { DispatchHttpModule } from './dispatch/dispatch-http.module.js';
import { OrdersHttpModule } from './orders/orders-http.module.js';
import { TrackingHttpModule } from './tracking/tracking-http.module.js';

@Module({
  imports: [
    ConfigModule,
    PlatformModule.forRoot('api'),
    DatabaseModule,
    RedisModule,
    ReadCacheModule,
    AuthHttpModule,
    CatalogHttpModule,
    OrdersHttpModule,
    CartHttpModule,
    TrackingHttpModule,
    // The api delivers committed order events too (whichever process holds a consumer's lease).
    DispatchHttpModule,
    OutboxModule.forConsumers(
      [
        TrackingPublisher,
        OrderJobsScheduler,
        NotificationJobsScheduler,
        SimulationJobsScheduler,
        DispatchConsumer,
      ],
      [TrackingModule, JobsModule, DispatchModule],
    ),
  ],
})
export class AppModule {}
