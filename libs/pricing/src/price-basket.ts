import {
  isEligible,
  refusalBeforePricing,
  type Promotion,
  type PromotionContext,
  type PromotionRefusal,
} from './promotion.js';
import { allocate, divideHalfUp, taxIncluded } from './rounding.js';

/** A line to price: the product's price now (tax-inclusive) and its tax rate. */
export interface BasketLine {
  productId: string;
  categoryId: string | null;
  quantity: number;
  unitPriceMinor: number;
  /** GST-style rate in basis points (500 = 5 %), included in the price. */
  taxRateBp: number;
}

/** A store's (or the global) fee rules, all in minor units. */
export interface FeeRules {
  deliveryFeeMinor: number;
  /** Items worth at least this (after line discounts) are delivered free. */
  freeDeliveryAboveMinor: number;
  /** Items worth less than this pay the small-basket fee. */
  smallBasketBelowMinor: number;
  smallBasketFeeMinor: number;
  /** Items worth less than this cannot be checked out. */
  minimumOrderMinor: number;
  /** The tax rate included in the fees. */
  feeTaxRateBp: number;
}

export interface PricedLine extends BasketLine {
  lineTotalMinor: number;
  /** This line's share of the promotions' discounts. */
  discountMinor: number;
}

export interface AppliedPromotion {
  promotionId: string;
  code: string | null;
  name: string;
  kind: Promotion['benefit']['kind'];
  amountMinor: number;
}

export interface PricedBasket {
  lines: PricedLine[];
  subtotalMinor: number;
  fees: { deliveryMinor: number; smallBasketMinor: number };
  feesMinor: number;
  discounts: AppliedPromotion[];
  discountMinor: number;
  /** Tax included in the total, per rate. */
  taxes: { rateBp: number; taxableMinor: number; taxMinor: number }[];
  totalMinor: number;
  /** Promotions the customer asked for by code that do not apply, and why. */
  refused: { promotionId: string; code: string; reason: PromotionRefusal }[];
  /** The items' value is below the minimum order: no checkout. */
  belowMinimum: boolean;
}

/** Line promotions first (buy-x-get-y, then percentages, then flat amounts), then free delivery. */
const ORDER: Record<Promotion['benefit']['kind'], number> = {
  buy_x_get_y: 0,
  percent: 1,
  flat: 2,
  free_delivery: 3,
};

/**
 * THE pricing function: every total FlashCart shows or charges (a cart, a checkout, a one-shot
 * order) comes from here. Integer minor units, one rounding rule (rounding.ts), and always
 * `subtotal + fees − discounts = total`. Automatic promotions (no code) apply when their rules
 * hold; a code applies when its rules hold, else it is listed in `refused` with the reason.
 */
export function priceBasket(
  basket: readonly BasketLine[],
  fees: FeeRules,
  promotions: readonly Promotion[],
  context: PromotionContext,
): PricedBasket {
  const lines: PricedLine[] = basket.map((line) => ({
    ...line,
    lineTotalMinor: line.unitPriceMinor * line.quantity,
    discountMinor: 0,
  }));
  const subtotalMinor = lines.reduce((sum, l) => sum + l.lineTotalMinor, 0);
  const discounts: AppliedPromotion[] = [];
  const refused: PricedBasket['refused'] = [];
  const refuse = (p: Promotion, reason: PromotionRefusal) => {
    if (p.code !== null) refused.push({ promotionId: p.id, code: p.code, reason });
  };
  const itemsValue = () => lines.reduce((sum, l) => sum + l.lineTotalMinor - l.discountMinor, 0);
  const sorted = [...promotions].sort(
    (a, b) =>
      ORDER[a.benefit.kind] - ORDER[b.benefit.kind] ||
      Number(a.code !== null) - Number(b.code !== null) ||
      a.id.localeCompare(b.id),
  );

  const linePromotions = sorted.filter((p) => p.benefit.kind !== 'free_delivery');
  for (const promotion of linePromotions) {
    const reason = refusalBeforePricing(promotion, context) ?? minBasket(promotion, itemsValue());
    if (reason) {
      refuse(promotion, reason);
      continue;
    }
    const amount = discountLines(promotion, lines);
    if (amount === 0) refuse(promotion, 'NOTHING_TO_DISCOUNT');
    else discounts.push(applied(promotion, amount));
  }

  const items = itemsValue();
  // Nothing to deliver costs nothing (an empty cart shows no fees).
  const delivering = lines.length > 0;
  const deliveryMinor =
    delivering && items < fees.freeDeliveryAboveMinor ? fees.deliveryFeeMinor : 0;
  const smallBasketMinor =
    delivering && items < fees.smallBasketBelowMinor ? fees.smallBasketFeeMinor : 0;
  let deliveryDiscount = 0;
  for (const promotion of sorted.filter((p) => p.benefit.kind === 'free_delivery')) {
    const reason = refusalBeforePricing(promotion, context) ?? minBasket(promotion, items);
    if (reason) refuse(promotion, reason);
    else if (deliveryMinor - deliveryDiscount === 0) refuse(promotion, 'NOTHING_TO_DISCOUNT');
    else {
      discounts.push(applied(promotion, deliveryMinor - deliveryDiscount));
      deliveryDiscount = deliveryMinor;
    }
  }

  const feesMinor = deliveryMinor + smallBasketMinor;
  const discountMinor = discounts.reduce((sum, d) => sum + d.amountMinor, 0);
  return {
    lines,
    subtotalMinor,
    fees: { deliveryMinor, smallBasketMinor },
    feesMinor,
    discounts,
    discountMinor,
    taxes: taxesByRate(lines, fees.feeTaxRateBp, feesMinor - deliveryDiscount),
    totalMinor: subtotalMinor + feesMinor - discountMinor,
    refused,
    belowMinimum: items < fees.minimumOrderMinor,
  };
}

function minBasket(promotion: Promotion, itemsMinor: number): PromotionRefusal | null {
  return itemsMinor < promotion.minBasketMinor ? 'MIN_BASKET' : null;
}

function applied(promotion: Promotion, amountMinor: number): AppliedPromotion {
  const { id: promotionId, code, name } = promotion;
  return { promotionId, code, name, kind: promotion.benefit.kind, amountMinor };
}

/** Takes a line promotion's discount off its eligible lines; returns the amount. */
function discountLines(promotion: Promotion, lines: PricedLine[]): number {
  const eligible = lines.filter((l) => isEligible(promotion, l));
  const left = (l: PricedLine) => l.lineTotalMinor - l.discountMinor;
  const benefit = promotion.benefit;
  if (benefit.kind === 'buy_x_get_y') {
    let total = 0;
    for (const line of eligible) {
      const freeUnits = Math.floor(line.quantity / (benefit.buy + benefit.free)) * benefit.free;
      const amount = Math.min(left(line), freeUnits * line.unitPriceMinor);
      line.discountMinor += amount;
      total += amount;
    }
    return total;
  }
  const base = eligible.reduce((sum, l) => sum + left(l), 0);
  if (base === 0) return 0;
  let amount: number;
  if (benefit.kind === 'percent') {
    amount = divideHalfUp(base * benefit.percentBp, 10_000);
    if (benefit.maxDiscountMinor !== null) amount = Math.min(amount, benefit.maxDiscountMinor);
  } else if (benefit.kind === 'flat') amount = benefit.amountMinor;
  else return 0;
  amount = Math.min(amount, base);
  const shares = allocate(amount, eligible.map(left));
  eligible.forEach((line, i) => (line.discountMinor += shares[i]!));
  return amount;
}

/** Tax included per rate: the lines after their discounts, and the fees after free delivery. */
function taxesByRate(
  lines: readonly PricedLine[],
  feeTaxRateBp: number,
  feesChargedMinor: number,
): PricedBasket['taxes'] {
  const byRate = new Map<number, number>();
  const add = (rate: number, amount: number) => byRate.set(rate, (byRate.get(rate) ?? 0) + amount);
  for (const line of lines) add(line.taxRateBp, line.lineTotalMinor - line.discountMinor);
  if (feesChargedMinor > 0) add(feeTaxRateBp, feesChargedMinor);
  return [...byRate]
    .sort(([a], [b]) => a - b)
    .map(([rateBp, taxableMinor]) => ({
      rateBp,
      taxableMinor,
      taxMinor: taxIncluded(taxableMinor, rateBp),
    }));
}
