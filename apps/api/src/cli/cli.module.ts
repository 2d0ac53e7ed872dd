import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { InventoryModule } from '#libs/inventory';
import { ReadCacheModule, RedisModule } from '#libs/redis';
import { DemoSeeder } from './demo-seeder.js';

/** The domain libs without HTTP, for one-shot commands. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    RedisModule,
    ReadCacheModule,
    AuthModule,
    InventoryModule,
  ],
  providers: [DemoSeeder],
})
export class CliModule {}
