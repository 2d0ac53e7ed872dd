/** What a promotion gives. Percentages and tax rates are in basis points (1000 = 10 %). */
export type Benefit =
  | { kind: 'percent'; percentBp: number; maxDiscountMinor: number | null }
  | { kind: 'flat'; amountMinor: number }
  | { kind: 'free_delivery' }
  /** Of every `buy + free` units of one eligible product, `free` cost nothing. */
  | { kind: 'buy_x_get_y'; buy: number; free: number };

/** A promotion as the pricing sees it (the promotions lib stores and counts them). */
export interface Promotion {
  id: string;
  /** The code a customer types, or null for an automatic promotion. */
  code: string | null;
  /** What the customer is shown, e.g. "10% off fruit". */
  name: string;
  benefit: Benefit;
  /** Eligible products and categories: a line qualifies if either list names it; both null = all. */
  productIds: readonly string[] | null;
  categoryIds: readonly string[] | null;
  /** Stores where it applies; null = every store. */
  storeIds: readonly string[] | null;
  /** The items' value (after earlier promotions) must reach this. */
  minBasketMinor: number;
  startsAt: Date | null;
  endsAt: Date | null;
  firstOrderOnly: boolean;
  /** Uses per customer and in all; null = unlimited. */
  perCustomerLimit: number | null;
  usageLimit: number | null;
  paused: boolean;
}

/** Why a promotion does not apply (a stable code; docs/api.md lists them). */
export type PromotionRefusal =
  | 'PAUSED'
  | 'NOT_STARTED'
  | 'EXPIRED'
  | 'WRONG_STORE'
  | 'MIN_BASKET'
  | 'FIRST_ORDER_ONLY'
  | 'CUSTOMER_LIMIT'
  | 'USAGE_LIMIT'
  | 'NOTHING_TO_DISCOUNT';

/** Who is buying where and when, and how often each promotion has been used. */
export interface PromotionContext {
  now: Date;
  storeId: string;
  /** Whether the customer has an earlier order that counts (any not cancelled). */
  hasOrdered: boolean;
  customerUses: ReadonlyMap<string, number>;
  totalUses: ReadonlyMap<string, number>;
}

/** The rules a promotion checks before anything is computed, in the order a customer reads them. */
export function refusalBeforePricing(
  promotion: Promotion,
  context: PromotionContext,
): PromotionRefusal | null {
  const at = context.now.getTime();
  if (promotion.paused) return 'PAUSED';
  if (promotion.startsAt && at < promotion.startsAt.getTime()) return 'NOT_STARTED';
  if (promotion.endsAt && at >= promotion.endsAt.getTime()) return 'EXPIRED';
  if (promotion.storeIds && !promotion.storeIds.includes(context.storeId)) return 'WRONG_STORE';
  if (promotion.firstOrderOnly && context.hasOrdered) return 'FIRST_ORDER_ONLY';
  const mine = context.customerUses.get(promotion.id) ?? 0;
  if (promotion.perCustomerLimit !== null && mine >= promotion.perCustomerLimit)
    return 'CUSTOMER_LIMIT';
  const all = context.totalUses.get(promotion.id) ?? 0;
  if (promotion.usageLimit !== null && all >= promotion.usageLimit) return 'USAGE_LIMIT';
  return null;
}

/** Whether a line (product, its category) is one the promotion discounts. */
export function isEligible(
  promotion: Promotion,
  line: { productId: string; categoryId: string | null },
): boolean {
  if (promotion.productIds === null && promotion.categoryIds === null) return true;
  return (
    (promotion.productIds?.includes(line.productId) ?? false) ||
    (line.categoryId !== null && (promotion.categoryIds?.includes(line.categoryId) ?? false))
  );
}
