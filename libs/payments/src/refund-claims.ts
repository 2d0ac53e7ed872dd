import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrderTransitions, type Order } from '#libs/orders';

const SYSTEM = { id: null, role: 'system' } as const;

export interface RefundWanted {
  /** The refund's idempotency key, ours and the provider's: one refund per key, ever. */
  key: string;
  /** An amount (capped at what is left), or everything captured and not yet refunded. */
  amountMinor: number | 'rest';
  reason: string;
}

/**
 * Claims a refund in the caller's transaction, which has locked the order: like stock, a
 * conditional update of the payment's `refunded_minor` (never above what was captured, also a
 * CHECK) with the refund's row and its `payment.refund_requested` event. The worker sends it to
 * the provider after the commit (RefundSender). Returns the new refund's id, or null when there
 * is nothing to refund (no capture, nothing left, or this key was claimed before).
 */
@Injectable()
export class RefundClaims {
  constructor(private readonly transitions: OrderTransitions) {}

  async claimIn(m: EntityManager, order: Order, wanted: RefundWanted): Promise<string | null> {
    const [payment] = await m.query(
      `SELECT id, captured_minor, refunded_minor FROM payments
        WHERE order_id = $1 AND status = 'captured' FOR UPDATE`,
      [order.id],
    );
    if (!payment) return null;
    const [claimedBefore] = await m.query(
      `SELECT 1 FROM payment_refunds WHERE idempotency_key = $1`,
      [wanted.key],
    );
    if (claimedBefore) return null;
    const left = payment.captured_minor - payment.refunded_minor;
    const amount = wanted.amountMinor === 'rest' ? left : Math.min(wanted.amountMinor, left);
    if (amount <= 0) return null;
    // UPDATE answers [rows, count] through TypeORM.
    const [[claimed]] = await m.query(
      `UPDATE payments SET refunded_minor = refunded_minor + $2, updated_at = now()
        WHERE id = $1 AND refunded_minor + $2 <= captured_minor RETURNING id`,
      [payment.id, amount],
    );
    if (!claimed) return null;
    const [refund] = await m.query(
      `INSERT INTO payment_refunds (order_id, payment_id, idempotency_key, amount_minor, reason, status)
       VALUES ($1, $2, $3, $4, $5, 'pending') RETURNING id`,
      [order.id, payment.id, wanted.key, amount, wanted.reason],
    );
    await this.transitions.note(m, order, {
      type: 'payment.refund_requested',
      actor: SYSTEM,
      reason: wanted.reason,
      data: { refundId: refund.id, amountMinor: amount, reason: wanted.reason },
    });
    return refund.id as string;
  }
}
