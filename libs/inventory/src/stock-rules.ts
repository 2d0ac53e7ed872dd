import type { Refusal } from '#libs/platform';
import type { StockReason } from './stock-movement.entity.js';

/**
 * The decisions of StockService without the database: what a count, an adjustment, an order's
 * release and a short pick write to the ledger. The service applies them with conditional
 * updates under row locks; these say what the numbers must be.
 */

export interface Movement {
  storeId: string;
  productId: string;
  delta: number;
  quantityAfter: number;
  reason: StockReason;
  orderId?: string | null;
  actorId?: string | null;
  note?: string | null;
}

type Where = { storeId: string; productId: string };

/** A stock count: the ledger records the difference, and nothing when the count agrees. */
export function countMovement(
  at: Where & { reason: StockReason; actorId: string; note?: string },
  current: number,
  counted: number,
): Movement | null {
  const delta = counted - current;
  return delta === 0 ? null : { ...at, delta, quantityAfter: counted };
}

/** 409 INSUFFICIENT_STOCK for removing more than there is, naming what is left. */
export function insufficientStock(available: number, delta: number): Refusal {
  return {
    code: 'INSUFFICIENT_STOCK',
    message: `Only ${available} in stock; cannot remove ${-delta}`,
    details: { available },
  };
}

/** An order's lines in the order every stock change locks rows: product id (PostgreSQL's uuid order). */
export function inLockOrder<L extends { productId: string }>(lines: readonly L[]): L[] {
  return [...lines].sort((a, b) =>
    a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0,
  );
}

/**
 * A short pick: `missing` units reserved for the order were not on the shelf, whose count said
 * `quantity` more. The missing units go back from the order (`order_released`) and, with what
 * the count still claimed, out as shrinkage (`short_pick`), leaving the quantity at 0.
 */
export function shortPickMovements(
  at: Where & { orderId: string; actorId: string | null },
  quantity: number,
  missing: number,
): { shrinkage: number; movements: Movement[] } {
  const shrinkage = quantity + missing;
  const movements: Movement[] = [];
  if (missing > 0) {
    movements.push({
      ...at,
      delta: missing,
      quantityAfter: shrinkage,
      reason: 'order_released',
      note: 'short pick: not found on the shelf',
    });
  }
  if (shrinkage > 0) {
    movements.push({
      ...at,
      delta: -shrinkage,
      quantityAfter: 0,
      reason: 'short_pick',
      note: `shelf empty while picking; the count said ${shrinkage}`,
    });
  }
  return { shrinkage, movements };
}
