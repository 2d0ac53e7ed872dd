import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { CartModule } from '#libs/cart';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { DispatchModule } from '#libs/dispatch';
import { InventoryModule } from '#libs/inventory';
import { JobProducer, JobsModule } from '#libs/jobs';
import { NotificationsModule } from '#libs/notifications';
import { OrdersModule } from '#libs/orders';
import { OutboxConsumersModule } from '#libs/outbox-consumers';
import { PaymentsModule } from '#libs/payments';
import { PlatformModule } from '#libs/platform';
import { ReadCacheModule, RedisModule } from '#libs/redis';
import { TrackingModule } from '#libs/tracking';
import { DeliveryProcessor } from './processors/delivery.processor.js';
import { DispatchProcessor } from './processors/dispatch.processor.js';
import { EmailProcessor } from './processors/email.processor.js';
import { MaintenanceProcessor } from './processors/maintenance.processor.js';
import { NotificationsProcessor } from './processors/notifications.processor.js';
import { OrdersProcessor } from './processors/orders.processor.js';
import { PaymentsProcessor } from './processors/payments.processor.js';
import { SimulationProcessor } from './processors/simulation.processor.js';

/**
 * The worker: the domain libs, the queue processors, and the outbox consumers (the same list as
 * the api's, OutboxConsumersModule: whichever process holds a consumer's lease delivers).
 * No public API; its HTTP server only answers health probes and metrics.
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
    OrdersModule,
    NotificationsModule,
    TrackingModule,
    JobsModule,
    DispatchModule,
    CartModule,
    PaymentsModule,
    OutboxConsumersModule,
  ],
  providers: [
    OrdersProcessor,
    NotificationsProcessor,
    DeliveryProcessor,
    SimulationProcessor,
    MaintenanceProcessor,
    DispatchProcessor,
    EmailProcessor,
    PaymentsProcessor,
  ],
})
export class WorkerModule implements OnApplicationBootstrap {
  constructor(private readonly producer: JobProducer) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.keepSchedulers();
  }
}
