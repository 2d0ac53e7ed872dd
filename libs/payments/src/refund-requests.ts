import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RefundClaimJob } from '#libs/jobs';
import { OrderTransitions, OutboxSignal } from '#libs/orders';
import { RefundClaims, type RefundWanted } from './refund-claims.js';

/** What an order event owes the customer back, if the order was paid online. */
export function refundFor(
  event: Omit<RefundClaimJob, 'type'> & { type: string },
): RefundWanted | null {
  if (event.type === 'order.cancelled')
    return {
      key: `refund-${event.orderId}-cancel`,
      amountMinor: 'rest',
      reason: 'order_cancelled',
    };
  if (event.type === 'order.short_picked' && event.refundMinor && event.refundMinor > 0)
    return {
      key: `refund-${event.orderId}-short-${event.seq}`,
      amountMinor: event.refundMinor,
      reason: 'short_pick',
    };
  return null;
}

/**
 * Refunds owed by order events: a cancelled paid order is refunded what is left of its capture,
 * a short pick what it took off the total. The worker claims them from the `refund-claim` jobs
 * the order-jobs outbox consumer enqueues; each refund's key comes from the event
 * (`refund-<order>-cancel`, `refund-<order>-short-<seq>`), so a job run twice claims nothing more,
 * and `missed()` finds what a lost job left (the payment sweeper). A capture that arrives after
 * the cancel is refunded by the webhook (the cancel's key: whichever is second finds nothing left).
 */
@Injectable()
export class RefundRequests {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly transitions: OrderTransitions,
    private readonly claims: RefundClaims,
    private readonly outbox: OutboxSignal,
  ) {}

  /** Claims the refund an event owes; the new refund's id, or null (nothing owed, or claimed before). */
  async claim(event: Omit<RefundClaimJob, 'type'> & { type: string }): Promise<string | null> {
    const wanted = refundFor(event);
    if (!wanted) return null;
    const id = await this.db.transaction(async (m) => {
      const order = await this.transitions.lock(m, event.orderId);
      return order?.paymentMethod === 'online' ? this.claims.claimIn(m, order, wanted) : null;
    });
    if (id) this.outbox.committed();
    return id;
  }

  /**
   * Events of the last week that owe a refund none was claimed for (a lost job): cancels of
   * orders whose capture is not all claimed back, short picks without their refund.
   */
  async missed(limit = 100): Promise<(Omit<RefundClaimJob, 'type'> & { type: string })[]> {
    const rows: { order_id: string; seq: number; type: string; refund_minor: number | null }[] =
      await this.db.query(
        `SELECT e.order_id, e.seq, e.type, (e.data->>'refundMinor')::int AS refund_minor
           FROM payments p
           JOIN order_events e ON e.order_id = p.order_id
          WHERE p.status = 'captured' AND e.created_at > now() - interval '7 days'
            AND ((e.type = 'order.cancelled' AND p.refunded_minor < p.captured_minor)
              OR (e.type = 'order.short_picked' AND NOT EXISTS (
                    SELECT 1 FROM payment_refunds r
                     WHERE r.idempotency_key = 'refund-' || e.order_id || '-short-' || e.seq)))
          ORDER BY e.created_at LIMIT $1`,
        [limit],
      );
    return rows.map((r) => ({
      orderId: r.order_id,
      seq: r.seq,
      type: r.type,
      ...(r.refund_minor !== null ? { refundMinor: r.refund_minor } : {}),
    }));
  }
}
