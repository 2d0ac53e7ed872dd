import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobProducer } from '#libs/jobs';
import {
  OrderTransitions,
  OutboxSignal,
  type OrderEventConsumer,
  type OrderEventView,
} from '#libs/orders';
import { RefundClaims, type RefundWanted } from './refund-claims.js';

/** What an order event owes the customer back, if the order was paid online. */
function refundFor(event: OrderEventView): RefundWanted | null {
  if (event.type === 'order.cancelled')
    return {
      key: `refund-${event.orderId}-cancel`,
      amountMinor: 'rest',
      reason: 'order_cancelled',
    };
  const amount = event.data.refundMinor;
  if (event.type === 'order.short_picked' && typeof amount === 'number' && amount > 0)
    return {
      key: `refund-${event.orderId}-short-${event.seq}`,
      amountMinor: amount,
      reason: 'short_pick',
    };
  return null;
}

/**
 * Outbox consumer `payments`: a cancelled paid order is refunded in full (what is left of the
 * capture), a short pick by what it took off the total. Each refund's key is derived from the
 * event (`refund-<order>-cancel`, `refund-<order>-short-<seq>`), so a batch delivered twice
 * claims nothing more. A capture that arrives after the cancel is refunded by the webhook itself
 * (same key as the cancel's: whichever comes second finds nothing left).
 */
@Injectable()
export class PaymentsConsumer implements OrderEventConsumer {
  readonly name = 'payments';

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly transitions: OrderTransitions,
    private readonly claims: RefundClaims,
    private readonly outbox: OutboxSignal,
    private readonly producer: JobProducer,
  ) {}

  async handle(events: OrderEventView[]): Promise<void> {
    const refundIds: string[] = [];
    for (const event of events) {
      const wanted = refundFor(event);
      if (!wanted) continue;
      const id = await this.db.transaction(async (m) => {
        const order = await this.transitions.lock(m, event.orderId);
        return order?.paymentMethod === 'online' ? this.claims.claimIn(m, order, wanted) : null;
      });
      if (id) refundIds.push(id);
    }
    if (refundIds.length === 0) return;
    this.outbox.committed();
    // Lost (Redis away): the payment sweeper sends them.
    await this.producer.sendRefunds(refundIds).catch(() => undefined);
  }
}
