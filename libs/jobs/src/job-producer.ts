import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import type { OrderEventView } from '#libs/orders';
import {
  JOBS,
  QUEUES,
  type AutoCancelJob,
  type OrderStatusJob,
  type SimulateJob,
  type SlaCheckJob,
} from './queues.js';

/** Retries with exponential backoff; failed jobs stay in the failed set for inspection. */
const RETRIED: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
};

/**
 * Enqueues work for the worker. Job ids are deterministic (`auto-cancel-<orderId>`; BullMQ 6
 * refuses ":" in custom ids), so enqueuing twice is harmless.
 */
@Injectable()
export class JobProducer {
  constructor(
    @InjectQueue(QUEUES.orders) private readonly orders: Queue,
    @InjectQueue(QUEUES.notifications) private readonly notifications: Queue,
    @InjectQueue(QUEUES.delivery) private readonly delivery: Queue,
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Reacts to committed order events (registered on the outbox relay). */
  async onOrderEvents(events: OrderEventView[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'order.placed') {
        await this.scheduleAutoCancel(event.orderId, new Date(event.at));
        const promisedBy = event.data.promisedBy;
        if (typeof promisedBy === 'string')
          await this.scheduleSlaCheck(event.orderId, new Date(promisedBy));
        if (this.config.jobs.simulation) await this.simulate({ orderId: event.orderId, step: 1 });
      }
      if (event.toStatus) await this.notifyStatus({ orderId: event.orderId, seq: event.seq });
    }
  }

  scheduleAutoCancel(orderId: string, placedAt: Date) {
    const delay = Math.max(
      0,
      placedAt.getTime() + this.config.jobs.packTimeoutSeconds * 1000 - Date.now(),
    );
    return this.orders.add(JOBS.autoCancel, { orderId } satisfies AutoCancelJob, {
      ...RETRIED,
      jobId: `auto-cancel-${orderId}`,
      delay,
    });
  }

  notifyStatus(job: OrderStatusJob) {
    return this.notifications.add(JOBS.orderStatus, job, {
      ...RETRIED,
      jobId: `order-status-${job.orderId}-${job.seq}`,
    });
  }

  scheduleSlaCheck(orderId: string, promisedBy: Date) {
    return this.delivery.add(JOBS.slaCheck, { orderId } satisfies SlaCheckJob, {
      ...RETRIED,
      jobId: `sla-${orderId}`,
      delay: Math.max(0, promisedBy.getTime() - Date.now() + 1_000),
    });
  }

  simulate(job: SimulateJob) {
    return this.delivery.add(JOBS.simulate, job, {
      ...RETRIED,
      jobId: `simulate-${job.orderId}-${job.step}`,
      delay: this.config.jobs.simulationStepSeconds * 1000,
    });
  }

  /** Repeatable jobs; upserting is idempotent, so every worker may call it at start. */
  async ensureSchedulers(): Promise<void> {
    await this.orders.upsertJobScheduler(
      'sweeper',
      { every: this.config.jobs.sweepIntervalMs },
      { name: JOBS.sweep },
    );
    await this.delivery.upsertJobScheduler(
      'sla-sweeper',
      { every: 60_000 },
      { name: JOBS.slaCheck, data: {} },
    );
    await this.maintenance.upsertJobScheduler('purge', { every: 3_600_000 }, { name: JOBS.purge });
  }
}
