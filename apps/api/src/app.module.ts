import { Module } from '@nestjs/common';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { PlatformModule } from '#libs/platform';
import { RedisModule } from '#libs/redis';
import { AuthHttpModule } from './auth/auth-http.module.js';

@Module({
  imports: [
    ConfigModule,
    PlatformModule.forRoot('api'),
    DatabaseModule,
    RedisModule,
    AuthHttpModule,
  ],
})
export class AppModule {}
