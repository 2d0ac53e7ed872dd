import { Module } from '@nestjs/common';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { OutboxConsumersModule } from '#libs/outbox-consumers';
import { PlatformModule } from '#libs/platform';
import { ReadCacheModule, RedisModule } from '#libs/redis';
import { AccountsHttpModule } from './accounts/accounts-http.module.js';
import { AuthHttpModule } from './auth/auth-http.module.js';
import { CartHttpModule } from './cart/cart-http.module.js';
import { CatalogHttpModule } from './catalog/catalog-http.module.js';
import { DispatchHttpModule } from './dispatch/dispatch-http.module.js';
import { NotificationsHttpModule } from './notifications/notifications-http.module.js';
import { OrdersHttpModule } from './orders/orders-http.module.js';
import { RatingsHttpModule } from './ratings/ratings-http.module.js';
import { PaymentsHttpModule } from './payments/payments-http.module.js';
import { OverviewHttpModule } from './overview/overview-http.module.js';
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
    AccountsHttpModule,
    RatingsHttpModule,
    TrackingHttpModule,
    DispatchHttpModule,
    NotificationsHttpModule,
    PaymentsHttpModule,
    OverviewHttpModule,
    // The api delivers committed order events too (whichever process holds a consumer's lease).
    OutboxConsumersModule,
  ],
})
export class AppModule {}
