import type { EntityManager } from 'typeorm';
import type { LedgerKind } from './payment.entity.js';

/**
 * Writes one movement of money, once: a second write of the same kind and reference (a replayed
 * webhook, a refund confirmed twice) writes nothing. Returns whether this call wrote it.
 */
export async function recordInLedger(
  m: EntityManager,
  entry: { orderId: string; kind: LedgerKind; amountMinor: number; reference: string },
): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `INSERT INTO payment_ledger (order_id, kind, amount_minor, reference) VALUES ($1, $2, $3, $4)
     ON CONFLICT (kind, reference) DO NOTHING RETURNING id`,
    [entry.orderId, entry.kind, entry.amountMinor, entry.reference],
  );
  return rows.length > 0;
}
