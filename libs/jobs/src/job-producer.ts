import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { watchConnection } from '#libs/redis';
import type { OrderEventView } from '#libs/orders';
import {
  JOBS,
  QUEUES,
  type AccountEmailJob,
  type AutoCancelJob,
  type OfferTimeoutJob,
  type OrderNoteJob,
  type OrderStatusJob,
  type SendEmailJob,
  type PaymentTimeoutJob,
  type RefundClaimJob,
  type RefundJob,
  type SimulateJob,
  type SlaAlertJob,
  type SlaCheckJob,
} from './queues.js';

/** Events without a status change that someone is notified of (the `order-note` job). */
const NOTED_EVENTS = new Set(['order.short_picked', 'order.rider_offered', 'payment.refunded']);

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
  private readonly logger = new Logger(JobProducer.name);
  private ensuring?: Promise<void>;

  constructor(
    @InjectQueue(QUEUES.orders) private readonly orders: Queue,
    @InjectQueue(QUEUES.notifications) private readonly notifications: Queue,
    @InjectQueue(QUEUES.delivery) private readonly delivery: Queue,
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
    @InjectQueue(QUEUES.simulation) private readonly simulation: Queue,
    @InjectQueue(QUEUES.dispatch) private readonly dispatch: Queue,
    @InjectQueue(QUEUES.email) private readonly email: Queue,
    @InjectQueue(QUEUES.payments) private readonly payments: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    for (const queue of [
      orders,
      notifications,
      delivery,
      maintenance,
      simulation,
      dispatch,
      email,
      payments,
    ])
      watchConnection(queue, this.logger, `queue ${queue.name}`);
  }

  /**
   * Jobs that follow an order's placement (or an online order's capture, which places it):
   * auto-cancel at its `packBy`, and the SLA check; an online order's payment timeout at `payBy`.
   */
  async addPlacementJobs(events: OrderEventView[]): Promise<void> {
    const orders = [];
    const delivery = [];
    const payments = [];
    for (const event of events) {
      const claim = this.refundClaimJob(event);
      if (claim) payments.push(claim);
      if (event.type !== 'order.placed' && event.type !== 'payment.captured') continue;
      const { packBy, promisedBy, payBy } = event.data;
      if (typeof payBy === 'string')
        orders.push(this.paymentTimeoutJob(event.orderId, new Date(payBy)));
      if (typeof packBy === 'string')
        orders.push(this.autoCancelJob(event.orderId, new Date(packBy)));
      if (typeof promisedBy === 'string')
        delivery.push(this.slaCheckJob(event.orderId, new Date(promisedBy)));
    }
    await Promise.all([
      orders.length && this.orders.addBulk(orders),
      delivery.length && this.delivery.addBulk(delivery),
      payments.length && this.payments.addBulk(payments),
    ]);
  }

  /**
   * A cancel or a short pick may owe the customer money back: a job (`refund-claim-<order>-<seq>`)
   * for the worker, which claims a refund only if the order was paid online. A job rather than an
   * outbox consumer of its own: another consumer's drain on every commit cost placements their
   * pool under bursts; these events are rare. Lost jobs are caught by the payment sweeper.
   */
  private refundClaimJob(event: OrderEventView) {
    const refundMinor = event.data.refundMinor;
    const owes =
      event.type === 'order.cancelled' ||
      (event.type === 'order.short_picked' && typeof refundMinor === 'number' && refundMinor > 0);
    if (!owes) return null;
    const data: RefundClaimJob = {
      orderId: event.orderId,
      seq: event.seq,
      type: event.type as RefundClaimJob['type'],
      ...(typeof refundMinor === 'number' ? { refundMinor } : {}),
    };
    return {
      name: JOBS.refundClaim,
      data,
      opts: { ...RETRIED, jobId: `refund-claim-${event.orderId}-${event.seq}` },
    };
  }

  /** The demo simulation's first step for each order placed in the last minute. */
  async addSimulationJobs(events: OrderEventView[]): Promise<void> {
    const recent = Date.now() - 60_000;
    const jobs = events
      .filter((e) => e.type === 'order.placed' && Date.parse(e.at) > recent)
      .map((e) => this.simulateJob({ orderId: e.orderId, step: 1 }));
    if (jobs.length > 0) await this.simulation.addBulk(jobs);
  }

  /** Notification jobs: one per status change, and the admins' alert for a missed promise. */
  async addNotificationJobs(events: OrderEventView[]): Promise<void> {
    const jobs = [];
    for (const event of events) {
      if (event.toStatus)
        jobs.push(this.notifyStatusJob({ orderId: event.orderId, seq: event.seq }));
      if (NOTED_EVENTS.has(event.type)) {
        const data: OrderNoteJob = { orderId: event.orderId, seq: event.seq };
        jobs.push({
          name: JOBS.orderNote,
          data,
          opts: { ...RETRIED, jobId: `order-note-${event.orderId}-${event.seq}` },
        });
      }
      if (event.type === 'order.sla_breached') {
        const data: SlaAlertJob = { orderId: event.orderId };
        jobs.push({
          name: JOBS.slaAlert,
          data,
          opts: { ...RETRIED, jobId: `sla-alert-${event.orderId}` },
        });
      }
    }
    if (jobs.length > 0) await this.notifications.addBulk(jobs);
  }

  /** Each offer's timeout at its `expiresAt` (`offer-timeout-<offerId>`: enqueuing twice is harmless). */
  async scheduleOfferTimeouts(offers: { id: string; expiresAt: Date }[]): Promise<void> {
    if (offers.length === 0) return;
    await this.dispatch.addBulk(
      offers.map((offer) => ({
        name: JOBS.offerTimeout,
        data: { offerId: offer.id } satisfies OfferTimeoutJob,
        opts: {
          ...RETRIED,
          backoff: { type: 'fixed', delay: 1_000 },
          jobId: `offer-timeout-${offer.id}`,
          delay: Math.max(0, offer.expiresAt.getTime() - Date.now()),
        },
      })),
    );
  }

  /**
   * One job per recorded email (`email-<id>-<generation>`: enqueuing twice is harmless); retried
   * with exponential backoff from EMAIL_RETRY_DELAY_MS, EMAIL_MAX_ATTEMPTS times.
   */
  async sendEmails(deliveries: SendEmailJob[]): Promise<void> {
    if (deliveries.length === 0) return;
    const { maxAttempts, retryDelayMs } = this.config.email;
    await this.email.addBulk(
      deliveries.map((job) => ({
        name: JOBS.sendEmail,
        data: job,
        opts: {
          ...RETRIED,
          attempts: maxAttempts,
          backoff: { type: 'exponential', delay: retryDelayMs },
          jobId: `email-${job.deliveryId}-${job.generation}`,
        },
      })),
    );
  }

  /** Sends these refunds now (`refund-<id>`); a refund that fails is retried by the payment sweeper. */
  async sendRefunds(refundIds: string[]): Promise<void> {
    if (refundIds.length === 0) return;
    await this.payments.addBulk(
      refundIds.map((refundId) => ({
        name: JOBS.refund,
        data: { refundId } satisfies RefundJob,
        opts: {
          jobId: `refund-${refundId}`,
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 24 * 3600, count: 10_000 },
        },
      })),
    );
  }

  /** A reset or verification link asked for (the worker finds the account, if any). */
  async requestAccountEmail(job: AccountEmailJob): Promise<void> {
    await this.email.add(JOBS.accountEmail, job, {
      ...RETRIED,
      jobId: `account-email-${job.requestId}`,
    });
  }

  scheduleAutoCancel(orderId: string, packBy: Date) {
    const job = this.autoCancelJob(orderId, packBy);
    return this.orders.add(job.name, job.data, job.opts);
  }

  simulate(step: SimulateJob, delayMs?: number) {
    const job = this.simulateJob(step, delayMs);
    return this.simulation.add(job.name, job.data, job.opts);
  }

  private autoCancelJob(orderId: string, packBy: Date) {
    return {
      name: JOBS.autoCancel,
      data: { orderId } satisfies AutoCancelJob,
      opts: {
        ...RETRIED,
        jobId: `auto-cancel-${orderId}`,
        delay: Math.max(0, packBy.getTime() - Date.now()),
      },
    };
  }

  private paymentTimeoutJob(orderId: string, payBy: Date) {
    return {
      name: JOBS.paymentTimeout,
      data: { orderId } satisfies PaymentTimeoutJob,
      opts: {
        ...RETRIED,
        jobId: `payment-timeout-${orderId}`,
        delay: Math.max(0, payBy.getTime() - Date.now()),
      },
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

  /**
   * Repeatable jobs. Upserting is idempotent, so every worker calls it at start and again each
   * time its Redis connection comes back (Redis may have come back empty).
   */
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
    // Recorded emails whose job Redis lost (restarted empty, or away when they were recorded).
    await this.email.upsertJobScheduler(
      'email-sweeper',
      { every: 60_000 },
      { name: JOBS.emailSweep },
    );
    // Refunds due (first sends lost, retries with backoff) and the reconciliation with the provider.
    await this.payments.upsertJobScheduler(
      'payment-sweeper',
      { every: this.config.payments.sweepIntervalMs },
      { name: JOBS.paymentSweep },
    );
    // Lost offer timeouts (Redis came back empty) and orders waiting for a rider.
    await this.dispatch.upsertJobScheduler(
      'dispatch-sweeper',
      { every: this.config.dispatch.sweepIntervalMs },
      { name: JOBS.dispatchSweep },
    );
  }

  /**
   * Creates the schedulers now and again whenever a scheduling queue's Redis connection is ready
   * after a reconnect: a Redis restarted empty would otherwise have no sweeper until the next
   * worker start.
   */
  async keepSchedulers(): Promise<void> {
    await this.ensureSchedulers();
    for (const queue of [
      this.orders,
      this.delivery,
      this.maintenance,
      this.dispatch,
      this.email,
      this.payments,
    ]) {
      (await queue.getBackend().client).on('ready', () => void this.reensure());
    }
  }

  private reensure(attempt = 1): Promise<void> {
    this.ensuring ??= this.ensureSchedulers()
      .then(() => this.logger.log('job schedulers re-created after a Redis reconnect'))
      .catch((err: unknown) => {
        this.logger.warn({ err, attempt }, 'could not re-create job schedulers; retrying');
        setTimeout(() => void this.reensure(attempt + 1), 1_000).unref();
      })
      .finally(() => (this.ensuring = undefined));
    return this.ensuring;
  }
}
