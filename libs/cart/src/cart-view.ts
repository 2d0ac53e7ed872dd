import type { DiscountView, TaxView } from '#libs/orders';
import { createHash } from 'node:crypto';
import type { PricedBasket } from '#libs/pricing';
import { money, type Money } from '#libs/products';
import type { CartAddress } from './cart.entity.js';

/** Why a line cannot be bought as it is at the cart's store. */
export type LineProblem = 'NOT_SOLD' | 'OUT_OF_STOCK' | 'SHORT' | 'OVER_LIMIT';

/** Why the cart cannot be checked out now (codes a client branches on). */
export type CheckoutProblem =
  | 'EMPTY'
  | 'ADDRESS_REQUIRED'
  | 'NOT_SERVICEABLE'
  | 'STORE_BUSY'
  | 'PRODUCT_UNAVAILABLE'
  | 'INSUFFICIENT_STOCK'
  | 'QUANTITY_LIMIT'
  | 'BELOW_MINIMUM'
  | 'ORDER_TOO_LARGE';

export interface CartLineView {
  productId: string;
  name: string;
  unit: string;
  imageUrl: string | null;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
  /** This line's share of the discounts. */
  discount: Money;
  taxRateBp: number;
  /** The price when the line was added, and which way it moved since. */
  addedUnitPrice: Money;
  /** Absent when the price did not move. */
  priceChange?: 'up' | 'down';
  /** Units the store has now (null: not sold there), and what stops this line, if anything. */
  available: number | null;
  /** Absent when the line can be bought as it is. */
  problem?: LineProblem;
}

export interface CartView {
  /** Changes whenever anything priced changes: checkout sends it back (409 CART_CHANGED if stale). */
  version: string;
  /** Absent until an address is set. */
  address?: CartAddress;
  /** The store serving the address now; absent when none does (or no address). */
  store?: { id: string; name: string; distanceM: number };
  lines: CartLineView[];
  subtotal: Money;
  fees: { delivery: Money; smallBasket: Money };
  discounts: DiscountView[];
  discountTotal: Money;
  taxes: TaxView[];
  total: Money;
  promoCode: string | null;
  /** Why the promo code does not apply now (null when it does, or none is set). */
  promoCodeProblem: string | null;
  promisedBy: string | null;
  checkout: { ready: boolean; problems: { code: CheckoutProblem; productIds?: string[] }[] };
  updatedAt: string;
}

/** A line as read for pricing: the cart's line, its product and its stock at the store. */
export interface LoadedLine {
  productId: string;
  quantity: number;
  addedUnitPriceMinor: number;
  name: string;
  unitLabel: string;
  imageUrl: string | null;
  categoryId: string | null;
  priceMinor: number;
  taxRateBp: number;
  maxPerOrder: number;
  active: boolean;
  /** Units at the cart's store; null when the store never stocked it or there is no store. */
  stock: number | null;
}

export function lineProblem(line: LoadedLine, hasStore: boolean): LineProblem | null {
  if (!line.active || (hasStore && line.stock === null)) return 'NOT_SOLD';
  if (line.quantity > line.maxPerOrder) return 'OVER_LIMIT';
  if (!hasStore) return null;
  if (line.stock === 0) return 'OUT_OF_STOCK';
  if (line.stock! < line.quantity) return 'SHORT';
  return null;
}

/** The cart's lines with their problems, in the view's order. */
export function lineViews(
  loaded: readonly LoadedLine[],
  priced: PricedBasket,
  hasStore: boolean,
): CartLineView[] {
  const pricedById = new Map(priced.lines.map((l) => [l.productId, l]));
  return loaded.map((l) => {
    const p = pricedById.get(l.productId);
    return {
      productId: l.productId,
      name: l.name,
      unit: l.unitLabel,
      imageUrl: l.imageUrl,
      quantity: l.quantity,
      unitPrice: money(l.priceMinor),
      lineTotal: money(p?.lineTotalMinor ?? 0),
      discount: money(p?.discountMinor ?? 0),
      taxRateBp: l.taxRateBp,
      addedUnitPrice: money(l.addedUnitPriceMinor),
      priceChange:
        l.priceMinor > l.addedUnitPriceMinor
          ? 'up'
          : l.priceMinor < l.addedUnitPriceMinor
            ? 'down'
            : undefined,
      available: hasStore ? l.stock : null,
      problem: lineProblem(l, hasStore) ?? undefined,
    };
  });
}

/** The priced parts of a cart, in minor units: what a checkout must find unchanged. */
export function versionOf(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}
