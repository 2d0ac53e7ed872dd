import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Module, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { Metrics } from '#libs/platform';
import { queueConnectionOptions } from '#libs/redis';
import { JobProducer } from './job-producer.js';
import {
  NotificationJobsScheduler,
  OrderJobsScheduler,
  SimulationJobsScheduler,
} from './order-event-consumers.js';
import { QUEUES } from './queues.js';

const queues = Object.values(QUEUES).map((name) => ({ name }));

/**
 * Queues, the producer, and the outbox consumers that turn committed order events into jobs;
 * shared by the api (which enqueues) and the worker (which also consumes).
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: queueConnectionOptions(config),
        prefix: `${config.redis.prefix}:bull`,
      }),
    }),
    BullModule.registerQueue(...queues),
  ],
  providers: [JobProducer, OrderJobsScheduler, NotificationJobsScheduler, SimulationJobsScheduler],
  exports: [
    JobProducer,
    BullModule,
    OrderJobsScheduler,
    NotificationJobsScheduler,
    SimulationJobsScheduler,
  ],
})
export class JobsModule implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Queue depths are read from Redis when Prometheus scrapes; with Redis away the scrape leaves
    // them out (Metrics bounds the wait) rather than waiting for it to come back.
    this.metrics.onScrape({
      name: 'queues',
      read: async () => {
        const counts = await Promise.all(
          queues.map(({ name }) =>
            this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).getJobCounts(),
          ),
        );
        return () =>
          queues.forEach(({ name }, i) => {
            for (const [state, count] of Object.entries(counts[i]!))
              this.metrics.queueJobs.set({ queue: name, state }, count);
          });
      },
      clear: () => this.metrics.queueJobs.reset(),
    });
  }
}
