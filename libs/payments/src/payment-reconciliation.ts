import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobProducer } from '#libs/jobs';
import { OrderTransitions, OutboxSignal } from '#libs/orders';
import { PaymentEvents } from './payment-events.js';
import { PAYMENT_PROVIDER, type PaymentProvider } from './provider/payment-provider.js';

export interface ReconciliationReport {
  checked: number;
  repaired: number;
  /** Differences we cannot repair by ourselves: logged (warn) for a person to look at. */
  flagged: { orderId: string; ours: string; theirs: string }[];
}

/**
 * Compares our payments in flight (not captured, for an order awaiting payment or cancelled in
 * the last day) with the provider's view and repairs what a lost webhook left behind: a capture
 * we never heard of is applied exactly as the webhook would have (placing the order, or
 * refunding it when it was cancelled meanwhile). Captured payments whose amount differs from
 * the provider's are flagged.
 */
@Injectable()
export class PaymentReconciliation {
  private readonly logger = new Logger(PaymentReconciliation.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly transitions: OrderTransitions,
    private readonly events: PaymentEvents,
    private readonly outbox: OutboxSignal,
    private readonly producer: JobProducer,
  ) {}

  async run(limit = 200): Promise<ReconciliationReport> {
    const inFlight: { order_id: string; provider_payment_id: string; status: string }[] =
      await this.db.query(
        `SELECT p.order_id, p.provider_payment_id, p.status FROM payments p
           JOIN orders o ON o.id = p.order_id
          WHERE p.provider = $1 AND p.status <> 'captured'
            AND (o.status = 'AWAITING_PAYMENT' OR (o.status = 'CANCELLED' AND o.updated_at > now() - interval '1 day'))
          ORDER BY p.created_at LIMIT $2`,
        [this.provider.name, limit],
      );
    const report: ReconciliationReport = { checked: 0, repaired: 0, flagged: [] };
    const refundIds: string[] = [];
    for (const ours of inFlight) {
      const theirs = await this.provider
        .retrievePayment(ours.provider_payment_id)
        .catch(() => null);
      if (!theirs) continue;
      report.checked++;
      if (theirs.status !== 'captured') continue;
      const outcome = await this.db.transaction(async (m) => {
        const order = (await this.transitions.lock(m, ours.order_id))!;
        return this.events.applyIn(
          m,
          order,
          this.provider.name,
          { kind: 'captured', payment: theirs },
          refundIds,
        );
      });
      if (outcome === 'mismatch') {
        report.flagged.push({ orderId: ours.order_id, ours: ours.status, theirs: theirs.status });
        this.logger.warn({ orderId: ours.order_id }, 'payment differs from the provider’s');
      } else if (outcome !== 'already_captured') report.repaired++;
    }
    if (report.repaired > 0) this.outbox.committed();
    await this.producer.sendRefunds(refundIds).catch(() => undefined);
    if (report.repaired > 0 || report.flagged.length > 0)
      this.logger.warn({ ...report }, 'reconciliation repaired or flagged payments');
    return report;
  }
}
