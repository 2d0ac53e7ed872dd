import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import {
  JOBS,
  LoggedWorkerHost,
  QUEUES,
  workerOptions,
  type AutoCancelJob,
  type PaymentTimeoutJob,
} from '#libs/jobs';
import type { OrderStatus } from '#libs/orders';
import { OrderQueries, OrderTransitions } from '#libs/orders';
import { DomainError } from '#libs/platform';

const SYSTEM = { id: null, role: 'system' } as const;

/**
 * Auto-cancel of orders not packed in time and of online orders not paid in time, and the
 * sweeper that catches lost jobs.
 */
@Processor(QUEUES.orders, workerOptions())
export class OrdersProcessor extends LoggedWorkerHost {
  constructor(
    private readonly orders: OrderQueries,
    private readonly transitions: OrderTransitions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.autoCancel:
        return this.autoCancel((job.data as AutoCancelJob).orderId);
      case JOBS.paymentTimeout:
        return this.autoCancel((job.data as PaymentTimeoutJob).orderId, 'AWAITING_PAYMENT');
      case JOBS.sweep: {
        const cutoff = new Date(Date.now() - this.config.jobs.packTimeoutSeconds * 1000);
        let cancelled = 0;
        for (const orderId of await this.orders.stalePlaced(cutoff))
          if ((await this.autoCancel(orderId)) === 'cancelled') cancelled++;
        const unpaid = new Date(Date.now() - this.config.payments.timeoutSeconds * 1000);
        let unpaidCancelled = 0;
        for (const orderId of await this.orders.staleAwaitingPayment(unpaid))
          if ((await this.autoCancel(orderId, 'AWAITING_PAYMENT')) === 'cancelled')
            unpaidCancelled++;
        return { cancelled, unpaidCancelled };
      }
      default:
        throw new Error(`unknown job ${job.name}`);
    }
  }

  /**
   * Cancels only if still in `from` (PLACED: not packed in time; AWAITING_PAYMENT: not paid in
   * time); an order that moved on (or is gone) makes this a no-op.
   */
  private async autoCancel(
    orderId: string,
    from: OrderStatus = 'PLACED',
  ): Promise<'cancelled' | 'skipped'> {
    try {
      await this.transitions.transition(orderId, SYSTEM, {
        from,
        to: 'CANCELLED',
        reason: from === 'AWAITING_PAYMENT' ? 'payment_timeout' : 'auto_cancel_timeout',
      });
      return 'cancelled';
    } catch (e) {
      if (e instanceof DomainError && (e.code === 'INVALID_TRANSITION' || e.code === 'NOT_FOUND'))
        return 'skipped';
      throw e;
    }
  }
}
