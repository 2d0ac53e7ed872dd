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

  /** Reacts to committed order events (registered on the outbox relay): one round trip per queue. */
  async onOrderEvents(events: OrderEventView[]): Promise<void> {
    const orders = [];
    const delivery = [];
    const notifications = [];
    for (const event of events) {
      if (event.type === 'order.placed') {
        orders.push(this.autoCancelJob(event.orderId, new Date(event.at)));
        const promisedBy = event.data.promisedBy;
        if (typeof promisedBy === 'string')
          delivery.push(this.slaCheckJob(event.orderId, new Date(promisedBy)));
        if (this.config.jobs.simulation)
          delivery.push(this.simulateJob({ orderId: event.orderId, step: 1 }));
      }
      if (event.toStatus)
        notifications.push(this.notifyStatusJob({ orderId: event.orderId, seq: event.seq }));
    }
    await Promise.all([
      orders.length && this.orders.addBulk(orders),
      delivery.length && this.delivery.addBulk(delivery),
      notifications.length && this.notifications.addBulk(notifications),
    ]);
  }

  scheduleAutoCancel(orderId: string, placedAt: Date) {
    const job = this.autoCancelJob(orderId, placedAt);
    return this.orders.add(job.name, job.data, job.opts);
  }

  simulate(step: SimulateJob, delayMs?: number) {
    const job = this.simulateJob(step, delayMs);
    return this.delivery.add(job.name, job.data, job.opts);
  }

  private autoCancelJob(orderId: string, placedAt: Date) {
    const delay = Math.max(
      0,
      placedAt.getTime() + this.config.jobs.packTimeoutSeconds * 1000 - Date.now(),
    );
    return {
      name: JOBS.autoCancel,
      data: { orderId } satisfies AutoCancelJob,
      opts: { ...RETRIED, jobId: `auto-cancel-${orderId}`, delay },
    };
  }

  private notifyStatusJob(job: OrderStatusJob) {
    return {
      name: JOBS.orderStatus,
      data: job,
      opts: { ...RETRIED, jobId: `order-status-${job.orderId}-${job.seq}` },
    };
  }

  private slaCheckJob(orderId: string, promisedBy: Date) {
    return {
      name: JOBS.slaCheck,
      data: { orderId } satisfies SlaCheckJob,
      opts: {
        ...RETRIED,
        jobId: `sla-${orderId}`,
        delay: Math.max(0, promisedBy.getTime() - Date.now() + 1_000),
      },
    };
  }

  private simulateJob(job: SimulateJob, delayMs = this.config.jobs.simulationStepSeconds * 1000) {
    return {
      name: JOBS.simulate,
      data: job,
      opts: {
        ...RETRIED,
        jobId: `simulate-${job.orderId}-${job.step}`,
        delay: delayMs,
      },
    };
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
