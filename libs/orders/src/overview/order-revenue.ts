/**
 * An online order never paid: waiting for its payment, or cancelled before any capture. Payments
 * write a `payment.captured` event into the order's timeline with every capture (also one after
 * a cancel, which is then refunded in full), so the orders' own tables say whether money came in.
 */
const UNPAID = `(o.payment_method = 'online' AND NOT EXISTS (
  SELECT FROM order_events pe WHERE pe.order_id = o.id AND pe.type = 'payment.captured'))`;

/**
 * What an order brought in, as SQL over an `orders` row aliased `o`: the one place the overview
 * (and anything else summing money) decides it.
 *
 * A placed order charged `total_minor + refund_due_minor` (short picks lower the total and add
 * the difference to `refund_due_minor`); refunds are the refund due, and the whole charge for a
 * cancelled order. An unpaid online order charged nothing and refunds nothing (it used to count
 * as charged, and as refunded once its payment timed out). Net = charged − refunds. Integer paise.
 */
export const ORDER_REVENUE = {
  chargedMinor: `(CASE WHEN ${UNPAID} THEN 0 ELSE o.total_minor + o.refund_due_minor END)`,
  refundedMinor: `(CASE WHEN ${UNPAID} THEN 0
    WHEN o.status = 'CANCELLED' THEN o.total_minor + o.refund_due_minor
    ELSE o.refund_due_minor END)`,
  netMinor: `(CASE WHEN o.status = 'CANCELLED' OR ${UNPAID} THEN 0 ELSE o.total_minor END)`,
} as const;
