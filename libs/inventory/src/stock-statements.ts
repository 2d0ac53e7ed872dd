/**
 * SQL fragments that inventory hands to the order placement so that its hot path stays one
 * statement per step while only inventory writes `store_stock` and `stock_movements` (design:
 * one owner per table). Arguments are SQL expressions of the caller's statement (parameters such
 * as `$3::uuid`, or names of its CTEs); nothing user-supplied is ever interpolated.
 */

/** The product columns a placement reads, as `ProductForOrder` rows (table alias `p`). */
const PRODUCT_FOR_ORDER = `p.id, p.sku, p.name, p.unit_label, p.price_minor, p.max_per_order, p.active`;

/**
 * The ordered products with their stock at a store, the stock rows locked until the transaction
 * ends, in product-id order (the order cancel releases them in: the two cannot deadlock).
 * `when` is a condition that must hold first (it orders this lock after the caller's locks).
 */
export function lockedStockForOrderSql(a: { store: string; productIds: string; when: string }) {
  return `SELECT ${PRODUCT_FOR_ORDER}, ss.quantity
            FROM products p JOIN store_stock ss ON ss.product_id = p.id AND ss.store_id = ${a.store}
           WHERE p.id = ANY(${a.productIds}) AND ${a.when}
           ORDER BY p.id
             FOR UPDATE OF ss`;
}

/** Ordered products the store has never stocked (nothing to lock). */
export function productsForOrderSql(productIds: string) {
  return `SELECT ${PRODUCT_FOR_ORDER} FROM products p WHERE p.id = ANY(${productIds})`;
}

/**
 * Two CTEs, `taken` and `ledger`: take each line's quantity from the store's stock where there is
 * enough (`taken` returns a row per line taken), with its `order_reserved` ledger row. `lines` is
 * a relation of (product_id, quantity); `gate` a one-row relation that must be non-empty (e.g. the
 * order was inserted).
 */
export function reserveStockCtes(a: {
  store: string;
  lines: string;
  gate: string;
  orderId: string;
  actorId: string;
}) {
  return `taken AS (
       UPDATE store_stock ss SET quantity = ss.quantity - l.quantity, updated_at = now()
         FROM ${a.lines} l, ${a.gate}
        WHERE ss.store_id = ${a.store} AND ss.product_id = l.product_id AND ss.quantity >= l.quantity
       RETURNING ss.product_id, ss.quantity
     ), ledger AS (
       INSERT INTO stock_movements (store_id, product_id, delta, quantity_after, reason, order_id, actor_id)
       SELECT ${a.store}, t.product_id, -l.quantity, t.quantity, 'order_reserved', ${a.orderId}, ${a.actorId}
         FROM taken t JOIN ${a.lines} l USING (product_id)
     )`;
}
