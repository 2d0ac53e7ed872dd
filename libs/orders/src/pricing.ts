import { priceBasket, type BasketLine, type FeeRules, type PricedBasket } from '#libs/pricing';
import type { Promotion, PromotionContext } from '#libs/pricing';
import type { AppConfig } from '#libs/config';
import { DomainError } from '#libs/platform';
import './order-errors.js';

/**
 * The most one order may total: ₹10,00,000, far above any basket, and far below what the orders'
 * integer money columns hold (2³¹ − 1 paise, about ₹2.1 crore). Each line passes validation on
 * its own (up to 100 units at up to ₹1,00,000), so only their sum can say an order is too large,
 * and without this the database's overflow answered a vague VALIDATION_FAILED.
 */
export const MAX_ORDER_TOTAL_MINOR = 100_000_000;

const rupees = (minor: number) => `₹${(minor / 100).toLocaleString('en-IN')}`;

export interface CartLine {
  productId: string;
  quantity: number;
}

/** The fees of every basket, from the configuration (one place for carts and orders). */
export function feeRules(o: AppConfig['orders']): FeeRules {
  return {
    deliveryFeeMinor: o.deliveryFeeMinor,
    freeDeliveryAboveMinor: o.freeDeliveryAboveMinor,
    smallBasketBelowMinor: o.smallBasketBelowMinor,
    smallBasketFeeMinor: o.smallBasketFeeMinor,
    minimumOrderMinor: o.minimumOrderMinor,
    feeTaxRateBp: o.feeTaxRateBp,
  };
}

/** Lines for the same product become one line (quantities added), in first-seen order. */
export function mergeLines(lines: CartLine[]): CartLine[] {
  const merged = new Map<string, number>();
  for (const line of lines)
    merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * An order's prices: the one pricing function (libs/pricing) on the products as the placement
 * read them, then the order limit (422 ORDER_TOO_LARGE past MAX_ORDER_TOTAL_MINOR: before the
 * discounts too, so that no discount can hide an overflow of the subtotal).
 */
export function priceOrder(
  lines: readonly BasketLine[],
  fees: FeeRules,
  promotions: readonly Promotion[],
  context: PromotionContext,
): PricedBasket {
  const priced = priceBasket(lines, fees, promotions, context);
  const largest = Math.max(priced.totalMinor, priced.subtotalMinor + priced.feesMinor);
  if (largest > MAX_ORDER_TOTAL_MINOR)
    throw new DomainError(
      'ORDER_TOO_LARGE',
      `This order comes to ${rupees(largest)}; one order may total at most ${rupees(MAX_ORDER_TOTAL_MINOR)}: split it, or order fewer units`,
    );
  return priced;
}
