import { Module } from '@nestjs/common';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { PlatformModule } from '#libs/platform';
import { ReadCacheModule, RedisModule } from '#libs/redis';
import { AuthHttpModule } from './auth/auth-http.module.js';
import { CatalogHttpModule } from './catalog/catalog-http.module.js';
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
    TrackingHttpModule,
  ],
})
export class AppModule {}
