import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { OrderTransitions, type Order } from '#libs/orders';
import { recordInLedger } from './payment-ledger.js';
import type { ProviderPayment } from './provider/payment-provider.js';
import { RefundClaims } from './refund-claims.js';

const SYSTEM = { id: null, role: 'system' } as const;

/** What applying a provider's news did (stored with a webhook event). */
export type ApplyOutcome =
  'captured' | 'captured_after_cancel' | 'already_captured' | 'failed' | 'ignored' | 'mismatch';

/**
 * Applies what the provider says about an order's payment, in the caller's transaction with the
 * order row locked (webhooks and the reconciliation share it). Idempotent and order-free: the
 * capture is a compare-and-set on the payment's status (once captured, nothing moves it back: a
 * late "failed" or "processing" is ignored), and the ledger row is unique by the payment.
 */
@Injectable()
export class PaymentEvents {
  constructor(
    private readonly transitions: OrderTransitions,
    private readonly refunds: RefundClaims,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async applyIn(
    m: EntityManager,
    order: Order,
    provider: string,
    news: { kind: 'captured' | 'failed' | 'pending' | 'other'; payment: ProviderPayment },
    refundIds: string[],
  ): Promise<ApplyOutcome> {
    if (order.paymentMethod !== 'online') return 'mismatch';
    const p = news.payment;
    // A payment we never recorded (the api died after creating it): the provider's word is enough.
    await m.query(
      `INSERT INTO payments (order_id, provider, provider_payment_id, status, amount_minor, currency)
       VALUES ($1, $2, $3, 'pending', $4, $5) ON CONFLICT (order_id) DO NOTHING`,
      [order.id, provider, p.providerPaymentId, order.totalMinor, order.currency],
    );
    const [ours] = await m.query(
      `SELECT id, provider_payment_id, status FROM payments WHERE order_id = $1 FOR UPDATE`,
      [order.id],
    );
    if (ours.provider_payment_id !== p.providerPaymentId) return 'mismatch';
    if (news.kind === 'failed') {
      const [[failed]] = await m.query(
        `UPDATE payments SET status = 'failed', updated_at = now()
          WHERE id = $1 AND status = 'pending' RETURNING id`,
        [ours.id],
      );
      if (!failed || order.status !== 'AWAITING_PAYMENT') return 'ignored';
      await this.transitions.note(m, order, {
        type: 'payment.failed',
        actor: SYSTEM,
        data: { providerPaymentId: p.providerPaymentId },
      });
      return 'failed';
    }
    if (news.kind !== 'captured') return 'ignored';
    const [[captured]] = await m.query(
      `UPDATE payments SET status = 'captured', captured_minor = $2, updated_at = now()
        WHERE id = $1 AND status <> 'captured' RETURNING id`,
      [ours.id, p.capturedMinor],
    );
    if (!captured) return 'already_captured';
    await recordInLedger(m, {
      orderId: order.id,
      kind: 'capture',
      amountMinor: p.capturedMinor,
      reference: `${provider}:${p.providerPaymentId}`,
    });
    const data = { amountMinor: p.capturedMinor, providerPaymentId: p.providerPaymentId };
    if (order.status === 'AWAITING_PAYMENT') {
      const now = Date.now();
      await this.transitions.transitionIn(m, order.id, SYSTEM, {
        from: 'AWAITING_PAYMENT',
        to: 'PLACED',
        eventType: 'payment.captured',
        data: {
          ...data,
          // The store's pack deadline starts now (the order-jobs consumer schedules it).
          packBy: new Date(now + this.config.jobs.packTimeoutSeconds * 1000).toISOString(),
          promisedBy: order.promisedBy.toISOString(),
        },
      });
      return 'captured';
    }
    // Paid for an order that is gone (the timeout or the customer cancelled it first): all back.
    await this.transitions.note(m, order, {
      type: 'payment.captured',
      actor: SYSTEM,
      reason: order.status === 'CANCELLED' ? 'paid_after_cancel' : undefined,
      data,
    });
    if (order.status === 'CANCELLED') {
      const refundId = await this.refunds.claimIn(m, order, {
        key: `refund-${order.id}-cancel`,
        amountMinor: 'rest',
        reason: 'paid_after_cancel',
      });
      if (refundId) refundIds.push(refundId);
      return 'captured_after_cancel';
    }
    return 'captured';
  }
}
