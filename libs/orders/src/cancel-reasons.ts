/**
 * Why store staff cancel an order: a fixed list (the ops console's choices; the admin API
 * refuses anything else), so the reasons can be counted and each has a sentence for the
 * customer in order-labels.ts. `cancelled_by_store` is the one to use when none fits.
 */
export const STORE_CANCEL_REASONS = [
  'out_of_stock',
  'customer_request',
  'address_unreachable',
  'store_closed',
  'duplicate_order',
  'cancelled_by_store',
] as const;
export type StoreCancelReason = (typeof STORE_CANCEL_REASONS)[number];
