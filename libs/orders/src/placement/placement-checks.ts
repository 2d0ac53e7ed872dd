import { DomainError } from '#libs/platform';
import { mergeLines, type CartLine } from '../pricing.js';
import type { ProductForOrder } from './placement-statements.js';

export const MAX_DISTINCT_PRODUCTS = 50;

/** Merged cart lines, within the size limits. */
export function checkedLines(items: CartLine[]): CartLine[] {
  const lines = mergeLines(items);
  if (lines.length === 0) throw new DomainError('VALIDATION_FAILED', 'items must not be empty');
  if (lines.length > MAX_DISTINCT_PRODUCTS) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `items may hold at most ${MAX_DISTINCT_PRODUCTS} distinct products`,
    );
  }
  return lines;
}

/** Every product sold, each quantity within its per-order limit and in stock at the store. */
export function checkAvailability(lines: CartLine[], products: Map<string, ProductForOrder>): void {
  const unavailable = lines
    .filter((l) => !products.get(l.productId)?.active)
    .map((l) => l.productId);
  if (unavailable.length > 0) {
    throw new DomainError(
      'PRODUCT_UNAVAILABLE',
      'Some products do not exist or are no longer sold',
      {
        productIds: unavailable,
      },
    );
  }
  const tooMany = lines.filter((l) => l.quantity > products.get(l.productId)!.maxPerOrder);
  if (tooMany.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      tooMany
        .map(
          (l) =>
            `quantity of ${l.productId} must not exceed ${products.get(l.productId)!.maxPerOrder}`,
        )
        .join('; '),
    );
  }
  const shortages = lines
    .map((l) => ({
      productId: l.productId,
      requested: l.quantity,
      available: products.get(l.productId)!.quantity ?? 0,
    }))
    .filter((l) => l.requested > l.available);
  if (shortages.length > 0) {
    throw new DomainError(
      'INSUFFICIENT_STOCK',
      'Some items are not available in the requested quantity',
      {
        items: shortages,
      },
    );
  }
}
