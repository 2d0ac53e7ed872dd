/**
 * What an order brought in, as SQL over an `orders` row aliased `o`: the one place the overview
 * (and anything else summing money) decides it, so that it can switch to the payments ledger
 * (captured − refunded) when that lands without touching the queries that use it.
 *
 * From what orders hold today: a placed order charged `total_minor + refund_due_minor` (short
 * picks lower the total and add the difference to `refund_due_minor`); refunds are the refund
 * due, and the whole charge for a cancelled order. Net = charged − refunds. Integer paise.
 */
export const ORDER_REVENUE = {
  chargedMinor: `(o.total_minor + o.refund_due_minor)`,
  refundedMinor: `(CASE WHEN o.status = 'CANCELLED' THEN o.total_minor + o.refund_due_minor ELSE o.refund_due_minor END)`,
  netMinor: `(CASE WHEN o.status = 'CANCELLED' THEN 0 ELSE o.total_minor END)`,
} as const;
