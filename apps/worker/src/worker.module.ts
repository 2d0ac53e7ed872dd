import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { InventoryModule } from '#libs/inventory';
import { JobProducer, JobsModule } from '#libs/jobs';
import { NotificationsModule } from '#libs/notifications';
import { PlatformModule } from '#libs/platform';
import { ReadCacheModule, RedisModule } from '#libs/redis';
import { DeliveryProcessor } from './processors/delivery.processor.js';
import { MaintenanceProcessor } from './processors/maintenance.processor.js';
import { NotificationsProcessor } from './processors/notifications.processor.js';
import { OrdersProcessor } from './processors/orders.processor.js';

/**
 * The worker: the domain libs and the queue processors. No public API; its HTTP server only
 * answers health probes and metrics.
 */
@Module({
  imports: [
    ConfigModule,
    PlatformModule.forRoot('worker'),
    DatabaseModule,
    RedisModule,
    ReadCacheModule,
    AuthModule,
    InventoryModule,
    NotificationsModule,
    JobsModule,
  ],
  providers: [OrdersProcessor, NotificationsProcessor, DeliveryProcessor, MaintenanceProcessor],
})
export class WorkerModule implements OnApplicationBootstrap {
  constructor(private readonly producer: JobProducer) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.ensureSchedulers();
  }
}
