import { DomainError, registerErrorCodes } from '#libs/platform';

declare module '#libs/platform' {
  interface ErrorCodes {
    ORDER_TOO_LARGE: 422;
  }
}

// Registered beside the limit it enforces (rather than in order-errors.ts): pricing decides it.
registerErrorCodes({ ORDER_TOO_LARGE: 422 });

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

export interface PricedLine extends CartLine {
  unitPriceMinor: number;
  lineTotalMinor: number;
}

export interface Totals {
  subtotalMinor: number;
  deliveryFeeMinor: number;
  totalMinor: number;
}

/** Lines for the same product become one line (quantities added), in first-seen order. */
export function mergeLines(lines: CartLine[]): CartLine[] {
  const merged = new Map<string, number>();
  for (const line of lines)
    merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

/** Server-side pricing in integer paise: line totals, subtotal, delivery fee, total (422 ORDER_TOO_LARGE past the limit). */
export function priceOrder(
  lines: CartLine[],
  unitPrices: Map<string, number>,
  fees: { deliveryFeeMinor: number; freeDeliveryAboveMinor: number },
): { lines: PricedLine[]; totals: Totals } {
  const priced = lines.map((line) => {
    const unitPriceMinor = unitPrices.get(line.productId);
    if (unitPriceMinor === undefined) throw new Error(`no price for ${line.productId}`);
    return { ...line, unitPriceMinor, lineTotalMinor: unitPriceMinor * line.quantity };
  });
  const subtotalMinor = priced.reduce((sum, line) => sum + line.lineTotalMinor, 0);
  const deliveryFeeMinor = subtotalMinor >= fees.freeDeliveryAboveMinor ? 0 : fees.deliveryFeeMinor;
  const totalMinor = subtotalMinor + deliveryFeeMinor;
  if (totalMinor > MAX_ORDER_TOTAL_MINOR)
    throw new DomainError(
      'ORDER_TOO_LARGE',
      `This order comes to ${rupees(totalMinor)}; one order may total at most ${rupees(MAX_ORDER_TOTAL_MINOR)}: split it, or order fewer units`,
    );
  return {
    lines: priced,
    totals: { subtotalMinor, deliveryFeeMinor, totalMinor },
  };
}
