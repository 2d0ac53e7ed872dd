import { BullModule } from '@nestjs/bullmq';
import { getQueueToken } from '@nestjs/bullmq';
import { Module, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { OrderEventsRelay } from '#libs/orders';
import { TrackingModule } from '#libs/tracking';
import { Metrics } from '#libs/platform';
import { redisConnectionFromUrl } from '#libs/redis';
import { JobProducer } from './job-producer.js';
import { QUEUES } from './queues.js';

const queues = Object.values(QUEUES).map((name) => ({ name }));

/** Queues and producers, shared by the api (which enqueues) and the worker (which consumes). */
@Module({
  imports: [
    TrackingModule,
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // BullMQ needs blocking commands to wait for Redis forever instead of failing.
        connection: redisConnectionFromUrl(config.redis.url, { maxRetriesPerRequest: null }),
        prefix: `${config.redis.prefix}:bull`,
      }),
    }),
    BullModule.registerQueue(...queues),
  ],
  providers: [JobProducer],
  exports: [JobProducer, BullModule, TrackingModule],
})
export class JobsModule implements OnModuleInit {
  constructor(
    private readonly relay: OrderEventsRelay,
    private readonly producer: JobProducer,
    private readonly metrics: Metrics,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Committed order events become jobs (at least once; job ids deduplicate).
    this.relay.register((events) => this.producer.onOrderEvents(events));
    // Queue depths are read from Redis when Prometheus scrapes.
    this.metrics.onScrape(async () => {
      for (const { name } of queues) {
        const counts = await this.moduleRef
          .get<Queue>(getQueueToken(name), { strict: false })
          .getJobCounts();
        for (const [state, count] of Object.entries(counts))
          this.metrics.queueJobs.set({ queue: name, state }, count);
      }
    });
  }
}
