import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { OrderTransitions, OutboxSignal } from '#libs/orders';
import { recordInLedger } from './payment-ledger.js';
import { PAYMENT_PROVIDER, type PaymentProvider } from './provider/payment-provider.js';

const SYSTEM = { id: null, role: 'system' } as const;

export type RefundAttempt =
  | { outcome: 'refunded' | 'not_due' | 'waiting' }
  | { outcome: 'failed'; attempts: number; alert: boolean; error: string };

interface ClaimedRefund {
  id: string;
  order_id: string;
  idempotency_key: string;
  amount_minor: number;
  provider_refund_id: string | null;
  provider_payment_id: string;
  attempts: number;
  alerted: boolean;
}

/**
 * Sends claimed refunds to the provider until it confirms them. An attempt is claimed first
 * (a conditional update that moves `next_attempt_at` on by the backoff: base × 2^attempts, at
 * most the maximum), so two workers never send one refund at once, and a worker killed mid-call
 * leaves it due again once the backoff has passed. The call runs outside any transaction and
 * carries the refund's own idempotency key: sent twice, refunded once. The confirmation is a
 * compare-and-set (pending → succeeded) with its ledger row and `payment.refunded` event.
 */
@Injectable()
export class RefundSender {
  private readonly logger = new Logger(RefundSender.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transitions: OrderTransitions,
    private readonly outbox: OutboxSignal,
  ) {}

  /** Refunds of this provider's payments whose next attempt is due (oldest first). */
  async due(limit = 100): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT r.id FROM payment_refunds r JOIN payments p ON p.id = r.payment_id
        WHERE r.status = 'pending' AND r.next_attempt_at <= now() AND p.provider = $2
        ORDER BY r.next_attempt_at LIMIT $1`,
      [limit, this.provider.name],
    );
    return rows.map((r) => r.id);
  }

  /** A refund's order and amount (for an alert). */
  async describe(refundId: string): Promise<{ orderId: string; amountMinor: number }[]> {
    return this.db.query(
      `SELECT order_id AS "orderId", amount_minor AS "amountMinor" FROM payment_refunds WHERE id = $1`,
      [refundId],
    );
  }

  async send(refundId: string): Promise<RefundAttempt> {
    const { refundRetryBaseMs: base, refundRetryMaxMs: max } = this.config.payments;
    const [[refund]]: [ClaimedRefund[]] = await this.db.query(
      `UPDATE payment_refunds r
          SET attempts = r.attempts + 1, updated_at = now(),
              next_attempt_at = now() + make_interval(secs => LEAST($2::float8 * power(2, r.attempts), $3::float8) / 1000)
         FROM payments p
        WHERE r.id = $1 AND r.status = 'pending' AND r.next_attempt_at <= now() AND p.id = r.payment_id
          AND p.provider = $4
       RETURNING r.id, r.order_id, r.idempotency_key, r.amount_minor, r.provider_refund_id,
                 p.provider_payment_id, r.attempts, r.alerted`,
      [refundId, base, max, this.provider.name],
    );
    if (!refund) return { outcome: 'not_due' };
    let result;
    try {
      result = refund.provider_refund_id
        ? await this.provider.retrieveRefund(refund.provider_refund_id)
        : await this.provider.refund({
            providerPaymentId: refund.provider_payment_id,
            amountMinor: refund.amount_minor,
            idempotencyKey: refund.idempotency_key,
            orderId: refund.order_id,
          });
    } catch (err) {
      return this.failed(refund, err instanceof Error ? err.message : String(err));
    }
    if (result.status === 'failed')
      return this.failed(refund, `the provider refused the refund ${result.providerRefundId}`);
    if (result.status === 'pending') {
      await this.db.query(
        `UPDATE payment_refunds SET provider_refund_id = $2, last_error = NULL WHERE id = $1`,
        [refund.id, result.providerRefundId],
      );
      return { outcome: 'waiting' };
    }
    const confirmed = await this.db.transaction(async (m) => {
      const order = (await this.transitions.lock(m, refund.order_id))!;
      const [[done]] = await m.query(
        `UPDATE payment_refunds SET status = 'succeeded', provider_refund_id = $2, last_error = NULL,
                updated_at = now()
          WHERE id = $1 AND status = 'pending' RETURNING id`,
        [refund.id, result.providerRefundId],
      );
      if (!done) return false;
      await recordInLedger(m, {
        orderId: refund.order_id,
        kind: 'refund',
        amountMinor: refund.amount_minor,
        reference: refund.id,
      });
      await this.transitions.note(m, order, {
        type: 'payment.refunded',
        actor: SYSTEM,
        data: {
          refundId: refund.id,
          amountMinor: refund.amount_minor,
          providerRefundId: result.providerRefundId,
        },
      });
      return true;
    });
    if (confirmed) this.outbox.committed();
    return { outcome: confirmed ? 'refunded' : 'not_due' };
  }

  /** Records the failure; the first time attempts reach the alert threshold, asks for an alert. */
  private async failed(refund: ClaimedRefund, error: string): Promise<RefundAttempt> {
    const alertNow = refund.attempts >= this.config.payments.refundAlertAfterAttempts;
    const [[row]] = await this.db.query(
      `UPDATE payment_refunds SET last_error = $2, alerted = alerted OR $3
        WHERE id = $1 RETURNING (alerted AND NOT $4::boolean) AS alert`,
      [refund.id, error.slice(0, 500), alertNow, refund.alerted],
    );
    this.logger.warn(
      { refundId: refund.id, orderId: refund.order_id, attempts: refund.attempts, error },
      'refund not confirmed; retried later',
    );
    return { outcome: 'failed', attempts: refund.attempts, alert: Boolean(row?.alert), error };
  }
}
