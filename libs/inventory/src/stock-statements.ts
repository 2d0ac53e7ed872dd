import { rel, sql, type Sql, type With } from '#libs/database';

/**
 * SQL fragments that inventory hands to the order placement so that its hot path stays one
 * statement per step while only inventory writes `store_stock` and `stock_movements` (design:
 * one owner per table). Arguments are fragments of the caller's statement (its named parameters,
 * `rel()` references to its CTEs); the CTEs produced here are named in the return types, so a
 * caller that reads one that is not produced does not compile.
 */

/** The product columns a placement reads, as `ProductForOrder` rows (table alias `p`). */
const PRODUCT_FOR_ORDER = sql`p.id, p.sku, p.name, p.unit_label, p.price_minor, p.max_per_order, p.active,
  p.category_id, p.tax_rate_bp`;

/**
 * The ordered products with their stock at a store, the stock rows locked until the transaction
 * ends, in product-id order (the order cancel releases them in: the two cannot deadlock).
 * `when` is a condition that must hold first (it orders this lock after the caller's locks).
 */
export function lockedStockForOrder<R extends string>(a: {
  store: Sql<R>;
  productIds: Sql<R>;
  when: Sql<R>;
}): Sql<R> {
  return sql`SELECT ${PRODUCT_FOR_ORDER}, ss.quantity
            FROM products p JOIN store_stock ss ON ss.product_id = p.id AND ss.store_id = ${a.store}
           WHERE p.id = ANY(${a.productIds}) AND ${a.when}
           ORDER BY p.id
             FOR UPDATE OF ss`;
}

/** Ordered products the store has never stocked (nothing to lock). */
export function productsForOrder<R extends string>(productIds: Sql<R>): Sql<R> {
  return sql`SELECT ${PRODUCT_FOR_ORDER} FROM products p WHERE p.id = ANY(${productIds})`;
}

/** The CTEs `reserveStock` adds: a row per line taken (product_id, quantity after), its ledger. */
export type ReservedStock = 'stock_taken' | 'stock_ledger';

/**
 * Adds two CTEs to the caller's statement: `stock_taken` takes each line's quantity from the
 * store's stock where there is enough (a row per line taken: product_id, quantity after), and
 * `stock_ledger` writes its `order_reserved` ledger row. `lines` is a relation of
 * (product_id, quantity); `gate` a one-row relation that must be non-empty (e.g. the order was
 * inserted).
 */
export function reserveStock<P extends string>(
  w: With<P>,
  a: { store: Sql<P>; lines: Sql<P>; gate: Sql<P>; orderId: Sql<P>; actorId: Sql<P> },
): With<P | ReservedStock> {
  return w
    .cte(
      'stock_taken',
      sql`UPDATE store_stock ss SET quantity = ss.quantity - l.quantity, updated_at = now()
         FROM ${a.lines} l, ${a.gate}
        WHERE ss.store_id = ${a.store} AND ss.product_id = l.product_id AND ss.quantity >= l.quantity
       RETURNING ss.product_id, ss.quantity`,
    )
    .cte(
      'stock_ledger',
      sql`INSERT INTO stock_movements (store_id, product_id, delta, quantity_after, reason, order_id, actor_id)
       SELECT ${a.store}, t.product_id, -l.quantity, t.quantity, 'order_reserved', ${a.orderId}, ${a.actorId}
         FROM ${rel('stock_taken')} t JOIN ${a.lines} l USING (product_id)`,
    );
}
