import { Module } from '@nestjs/common';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { PlatformModule } from '#libs/platform';
import { RedisModule } from '#libs/redis';

/** The worker: the domain libs and queue processors, no public API (health/metrics port only). */
@Module({
  imports: [ConfigModule, PlatformModule.forRoot('worker'), DatabaseModule, RedisModule],
})
export class WorkerModule {}
