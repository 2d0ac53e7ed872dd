/**
 * What an order brought in, as SQL over an `orders` row aliased `o`: the one place the overview
 * (and anything else summing money) decides it. Integer paise.
 *
 * - Paid online: what the provider captured and what was refunded of it (`payments`, written by
 *   libs/payments; read here, never written). An online order never paid brought in nothing.
 * - Cash on delivery: from the order itself. A placed order charges `total_minor +
 *   refund_due_minor` (short picks lower the total and add the difference to the refund due);
 *   refunds are the refund due, or the whole charge for a cancelled order.
 *
 * Net = charged − refunded.
 */
const CAPTURED = `(SELECT coalesce(sum(p.captured_minor), 0) FROM payments p WHERE p.order_id = o.id)`;
const REFUNDED = `(SELECT coalesce(sum(p.refunded_minor), 0) FROM payments p WHERE p.order_id = o.id)`;
const ONLINE = `o.payment_method = 'online'`;

export const ORDER_REVENUE = {
  chargedMinor: `(CASE WHEN ${ONLINE} THEN ${CAPTURED} ELSE o.total_minor + o.refund_due_minor END)`,
  refundedMinor: `(CASE WHEN ${ONLINE} THEN ${REFUNDED}
                        WHEN o.status = 'CANCELLED' THEN o.total_minor + o.refund_due_minor
                        ELSE o.refund_due_minor END)`,
  netMinor: `(CASE WHEN ${ONLINE} THEN ${CAPTURED} - ${REFUNDED}
                   WHEN o.status = 'CANCELLED' THEN 0 ELSE o.total_minor END)`,
} as const;
