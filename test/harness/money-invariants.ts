import type { DataSource } from 'typeorm';

/**
 * The payments ledger against the payments, refunds, cash collections and timelines, per order
 * (docs/architecture.md "Money"). Each holds at every commit (each movement, its row and its
 * event are written in one transaction), so it is checked after every suite, as stock = ledger
 * is. Returns the rows that break one; [] when all hold.
 */
export async function moneyInvariantViolations(db: DataSource): Promise<unknown[]> {
  return db.query(`
    WITH ledger AS (
      SELECT order_id,
             COALESCE(SUM(amount_minor) FILTER (WHERE kind = 'capture'), 0)::int AS captured,
             COALESCE(SUM(amount_minor) FILTER (WHERE kind = 'refund'), 0)::int AS refunded,
             COALESCE(SUM(amount_minor) FILTER (WHERE kind = 'cod_collection'), 0)::int AS cash,
             COUNT(*) FILTER (WHERE kind = 'capture')::int AS captures,
             COUNT(*) FILTER (WHERE kind = 'refund')::int AS refunds
        FROM payment_ledger GROUP BY order_id),
    refunds AS (
      SELECT order_id, COALESCE(SUM(amount_minor), 0)::int AS claimed,
             COALESCE(SUM(amount_minor) FILTER (WHERE status = 'succeeded'), 0)::int AS confirmed
        FROM payment_refunds GROUP BY order_id),
    events AS (
      SELECT order_id,
             COUNT(*) FILTER (WHERE type = 'payment.captured')::int AS captured_events,
             COUNT(*) FILTER (WHERE type = 'payment.refunded')::int AS refunded_events
        FROM order_events WHERE type LIKE 'payment.%' GROUP BY order_id),
    orders_with_money AS (
      SELECT order_id FROM payments UNION SELECT order_id FROM payment_ledger
      UNION SELECT order_id FROM cod_collections)
    SELECT o.order_id,
           COALESCE(p.captured_minor, 0) AS payment_captured, COALESCE(l.captured, 0) AS ledger_captured,
           COALESCE(p.refunded_minor, 0) AS payment_claimed, COALESCE(r.claimed, 0) AS refunds_claimed,
           COALESCE(r.confirmed, 0) AS refunds_confirmed, COALESCE(l.refunded, 0) AS ledger_refunded,
           COALESCE(c.collected_minor, 0) AS cash_collected, COALESCE(l.cash, 0) AS ledger_cash,
           COALESCE(l.captures, 0) AS captures, COALESCE(e.captured_events, 0) AS captured_events,
           COALESCE(l.refunds, 0) AS refunds, COALESCE(e.refunded_events, 0) AS refunded_events
      FROM orders_with_money o
      LEFT JOIN payments p ON p.order_id = o.order_id
      LEFT JOIN ledger l ON l.order_id = o.order_id
      LEFT JOIN refunds r ON r.order_id = o.order_id
      LEFT JOIN events e ON e.order_id = o.order_id
      LEFT JOIN cod_collections c ON c.order_id = o.order_id
     WHERE COALESCE(p.captured_minor, 0) <> COALESCE(l.captured, 0)          -- captured = ledger
        OR COALESCE(l.captures, 0) > 1                                       -- one capture per order
        OR COALESCE(p.refunded_minor, 0) <> COALESCE(r.claimed, 0)           -- claims = refund rows
        OR COALESCE(p.refunded_minor, 0) > COALESCE(p.captured_minor, 0)     -- never above captured
        OR COALESCE(r.confirmed, 0) <> COALESCE(l.refunded, 0)               -- refunded = ledger
        OR COALESCE(c.collected_minor, 0) <> COALESCE(l.cash, 0)             -- cash = ledger
        OR COALESCE(l.captures, 0) <> COALESCE(e.captured_events, 0)         -- each on the timeline
        OR COALESCE(l.refunds, 0) <> COALESCE(e.refunded_events, 0)`);
}
