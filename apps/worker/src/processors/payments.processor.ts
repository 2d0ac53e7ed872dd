import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { UsersService } from '#libs/auth';
import {
  JOBS,
  LoggedWorkerHost,
  QUEUES,
  workerOptions,
  type RefundClaimJob,
  type RefundJob,
} from '#libs/jobs';
import { NotificationsService } from '#libs/notifications';
import {
  PaymentReconciliation,
  RefundRequests,
  RefundSender,
  type RefundAttempt,
} from '#libs/payments';

/**
 * Refunds owed by cancels and short picks (claimed from `refund-claim` jobs; the sweeper catches
 * lost ones), refunds (sent at once when claimed, then by the sweeper with backoff until the provider
 * confirms) and the reconciliation with the provider. A refund that keeps failing alerts every
 * admin once, like a missed promise does (a notification, deduplicated by the refund).
 */
@Processor(QUEUES.payments, workerOptions())
export class PaymentsProcessor extends LoggedWorkerHost {
  constructor(
    private readonly refunds: RefundSender,
    private readonly requests: RefundRequests,
    private readonly reconciliation: PaymentReconciliation,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
  ) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.refund:
        return this.send((job.data as RefundJob).refundId);
      case JOBS.refundClaim: {
        const refundId = await this.requests.claim(job.data as RefundClaimJob);
        return refundId ? { refundId, ...(await this.send(refundId)) } : 'nothing owed';
      }
      case JOBS.paymentSweep: {
        let claimed = 0;
        for (const missed of await this.requests.missed())
          if (await this.requests.claim(missed)) claimed++;
        const sent = [];
        for (const refundId of await this.refunds.due()) sent.push(await this.send(refundId));
        const reconciled = await this.reconciliation.run();
        return {
          claimed,
          refunds: sent.length,
          refunded: sent.filter((s) => s.outcome === 'refunded').length,
          reconciled,
        };
      }
      default:
        throw new Error(`unknown job ${job.name}`);
    }
  }

  private async send(refundId: string): Promise<RefundAttempt> {
    const attempt = await this.refunds.send(refundId);
    if (attempt.outcome === 'failed' && attempt.alert) await this.alert(refundId, attempt);
    return attempt;
  }

  private async alert(refundId: string, attempt: { attempts: number; error: string }) {
    const [refund] = await this.refunds.describe(refundId);
    for (const userId of await this.users.activeIds('admin')) {
      await this.notifications.notify({
        userId,
        orderId: refund?.orderId ?? null,
        dedupeKey: `refund-failing:${refundId}`,
        type: 'payments.refund_failing',
        title: 'A refund keeps failing',
        body: `A refund of ₹${((refund?.amountMinor ?? 0) / 100).toFixed(2)} has failed ${attempt.attempts} times (${attempt.error}). It is still being retried.`,
        data: { refundId, orderId: refund?.orderId, attempts: attempt.attempts },
      });
    }
  }
}
