import {
  defineStatement,
  raw,
  rel,
  sql,
  withCtes,
  type Params,
  type PipelinedTransaction,
  type PreparedStatement,
  type Sql,
  type StatementDefinition,
  type With,
} from '#libs/database';
import { lockedStockForOrder, productsForOrder, reserveStock } from '#libs/inventory';
import { claimPromotionUses, type ClaimedPromotion } from '#libs/promotions';
import { CUSTOMER_OPEN_STATUSES } from '../order-state-machine.js';
import type { Order, OrderEvent, OrderItem } from '../order.entity.js';
import { IDEMPOTENCY_RETENTION, type StoredRow } from './idempotency.js';

/** A product as a placement sees it: the catalogue fields and, locked, its stock at the store. */
export interface ProductForOrder {
  id: string;
  sku: string;
  name: string;
  unitLabel: string;
  priceMinor: number;
  maxPerOrder: number;
  active: boolean;
  categoryId: string;
  /** GST rate included in the price, basis points. */
  taxRateBp: number;
  /** null when the store has never stocked it. */
  quantity: number | null;
}

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  unit_label: string;
  price_minor: number;
  max_per_order: number;
  active: boolean;
  category_id: string;
  tax_rate_bp: number;
  quantity?: number;
}

const toProduct = (r: ProductRow): ProductForOrder => ({
  id: r.id,
  sku: r.sku,
  name: r.name,
  unitLabel: r.unit_label,
  priceMinor: r.price_minor,
  maxPerOrder: r.max_per_order,
  active: r.active,
  categoryId: r.category_id,
  taxRateBp: r.tax_rate_bp,
  quantity: r.quantity ?? null,
});

/** What a placement holds once it has claimed its key and locked its stock. */
export interface PlacementLocks {
  /** False when another request holds the Idempotency-Key (409 for this one). */
  keyClaimed: boolean;
  /** The response stored under the key by an earlier request, if any. */
  stored: StoredRow | undefined;
  /** The ordered products; unknown ids are absent. */
  products: Map<string, ProductForOrder>;
}

type LockRow = { locked: boolean } & { [K in keyof StoredRow]: StoredRow[K] | null } & {
  [K in keyof ProductRow]: ProductRow[K] | null;
};

interface ClaimParams {
  userId: string;
  key: string;
  storeId: string;
  productIds: string[];
}

const CUSTOMER_LOCK = defineStatement<Pick<ClaimParams, 'userId'>>(
  'lock-placing-customer',
  (p) =>
    sql`SELECT pg_advisory_xact_lock(hashtextextended('placement:' || ${p.userId}::uuid::text, 0))`,
);

const CLAIM_AND_LOCK = defineStatement<ClaimParams>('claim-and-lock-placement', (p) =>
  withCtes()
    .cte(
      'claim',
      sql`SELECT pg_try_advisory_xact_lock(hashtext(${p.userId}::uuid::text), hashtext(${p.key}::text)) AS locked,
              k.request_hash, k.response_status, k.response_body
         FROM (SELECT) AS one
         LEFT JOIN idempotency_keys k ON k.user_id = ${p.userId}::uuid AND k.key = ${p.key}::text AND k.expires_at > now()`,
      { materialized: true },
    )
    // Locked only once the key is claimed (the claim is read first), so the locks are always
    // taken in the same order.
    .cte(
      'stock',
      lockedStockForOrder({
        store: sql`${p.storeId}::uuid`,
        productIds: sql`${p.productIds}::uuid[]`,
        when: sql`EXISTS (SELECT FROM ${rel('claim')})`,
      }),
    )
    .select(sql`SELECT claim.*, stock.* FROM ${rel('claim')} LEFT JOIN ${rel('stock')} ON true`),
);

/**
 * The statements of `beginAndClaim` (sent with BEGIN, in one flight), also run by the benchmark's
 * raw-pg baseline: the customer's placement lock, then the claim. Two statements so that the
 * claim's snapshot is taken once the lock is held: a response stored by this customer's previous
 * placement is always seen, so a refusal after the claim never hides a stored response.
 */
export function claimAndLockStatements(p: ClaimParams): PreparedStatement[] {
  return [CUSTOMER_LOCK.bind(p), CLAIM_AND_LOCK.bind(p)];
}

const PRODUCTS_FOR_ORDER = defineStatement<{ productIds: string[] }>('products-for-order', (p) =>
  productsForOrder(sql`${p.productIds}::uuid[]`),
);

/**
 * The first flight of a placement, with BEGIN (`claimAndLockStatements`). It takes the customer's placement lock (so that two
 * placements of one customer, even for different products, count each other's open orders: the
 * open-order cap holds under any concurrency), holds the Idempotency-Key for the transaction (an
 * advisory lock: "in progress" for a concurrent request, nothing left behind by a crash), reads
 * the response stored under it, and reads the ordered products with their stock at the store,
 * locking those stock rows until the transaction ends in product-id order, so that concurrent
 * orders cannot deadlock: the quantities returned are what the order may take. Lock order, always:
 * customer, Idempotency-Key (try only), stock rows, and at the insert the store's open-orders
 * counter (the database's trigger); nothing else takes the customer lock, stock rows are taken
 * in product-id order everywhere, and a cancel releases stock before its update takes the
 * counter (OrderTransitions), so placements cannot deadlock.
 */
export async function beginAndClaim(
  tx: PipelinedTransaction,
  p: ClaimParams,
): Promise<PlacementLocks> {
  const rows = await tx.begin<LockRow>(...claimAndLockStatements(p));
  const [first] = rows as [LockRow];
  const products = new Map(
    rows.filter((r) => r.id !== null).map((r) => [r.id!, toProduct(r as ProductRow)]),
  );
  const unstocked = p.productIds.filter((id) => !products.has(id));
  if (unstocked.length > 0) {
    // Rare: products the store has never stocked (or that do not exist): nothing to lock.
    const rest = await tx.query<ProductRow>(PRODUCTS_FOR_ORDER.bind({ productIds: unstocked }));
    for (const r of rest) products.set(r.id, toProduct(r));
  }
  return {
    keyClaimed: first.locked,
    stored: first.request_hash === null ? undefined : (first as StoredRow),
    products,
  };
}

/** What the write refuses with (`refuse_placement`, SQLSTATE P0001 with this DETAIL). */
export const PLACEMENT_REFUSALS = {
  /** The Idempotency-Key was stored meanwhile by a request that raced this one. */
  keyTaken: 'idempotency_key_taken',
  /** Stock moved under the row lock of `beginAndClaim` (a bug). */
  stockMoved: 'stock_moved',
} as const;

export interface PlacementWrite {
  order: Order;
  items: OrderItem[];
  event: Omit<OrderEvent, 'id'>;
  /** The promotions the order's discounts came from: one use of each is claimed (or nothing is written). */
  promotions: readonly ClaimedPromotion[];
  maxOpenOrders: number;
  idempotency: { key: string; requestHash: string; responseBody: unknown };
}

/** The named parameters of the write (JSON columns as text). */
export interface WriteParams {
  orderId: string;
  userId: string;
  storeId: string;
  status: string;
  paymentMethod: string;
  version: number;
  address: string;
  note: string | null;
  currency: string;
  subtotalMinor: number;
  deliveryFeeMinor: number;
  smallBasketFeeMinor: number;
  discountMinor: number;
  taxes: string;
  discounts: string;
  totalMinor: number;
  promisedBy: Date;
  placedAt: Date;
  maxOpenOrders: number;
  productIds: string[];
  quantities: number[];
  unitPrices: number[];
  lineTotals: number[];
  lineDiscounts: number[];
  taxRates: number[];
  skus: string[];
  names: string[];
  unitLabels: string[];
  eventSeq: number;
  eventType: string;
  eventFrom: string | null;
  eventTo: string | null;
  eventActorId: string | null;
  eventActorRole: string;
  eventReason: string | null;
  eventData: string;
  eventAt: Date;
  key: string;
  requestHash: string;
  responseBody: string;
  promotionIds: string[];
  promotionAmounts: number[];
}

/**
 * How many of a customer's orders count against their open-order cap. The statuses are written
 * into the text, not bound: the planner then reads the customer's open orders alone through
 * `orders_customer_open_idx` (whose predicate is this list), in a prepared statement's generic
 * plan too. Bound as an array it could not prove the index applies, and read every order the
 * customer ever placed: the cost of a placement grew with the customer's history.
 */
export function customerOpenOrderCount(userId: Sql): Sql {
  const statuses = CUSTOMER_OPEN_STATUSES.map((s) => `'${s}'`).join(', ');
  return sql`SELECT count(*) FROM orders WHERE user_id = ${userId} AND status IN (${raw(statuses)})`;
}

/** Every CTE of the write: the order, its stock, items, first event, stored response, promotions. */
function writeCtes(p: Params<WriteParams>) {
  const ctes = withCtes()
    // Counted in this statement's snapshot, taken after the customer lock of beginAndClaim was
    // granted: every placement of this customer that held it before has committed. (The store's
    // limit is the insert's: the trigger on orders refuses it, STORE_LIMIT_RULE.)
    .cte(
      'room',
      sql`SELECT (${customerOpenOrderCount(sql`${p.userId}::uuid`)}) < ${p.maxOpenOrders}::int AS customer_ok`,
      { materialized: true },
    )
    .cte(
      'placed',
      sql`INSERT INTO orders (id, user_id, store_id, status, payment_method, version, address, note, currency,
                           subtotal_minor, delivery_fee_minor, small_basket_fee_minor, discount_minor,
                           taxes, discounts, total_minor, promised_by, placed_at, updated_at)
       SELECT ${p.orderId}::uuid, ${p.userId}::uuid, ${p.storeId}::uuid, ${p.status}::text,
              ${p.paymentMethod}::text, ${p.version}::int,
              ${p.address}::jsonb, ${p.note}::text, ${p.currency}::text, ${p.subtotalMinor}::int,
              ${p.deliveryFeeMinor}::int, ${p.smallBasketFeeMinor}::int, ${p.discountMinor}::int,
              ${p.taxes}::jsonb, ${p.discounts}::jsonb, ${p.totalMinor}::int, ${p.promisedBy}::timestamptz,
              ${p.placedAt}::timestamptz, ${p.placedAt}::timestamptz
        WHERE (SELECT customer_ok FROM ${rel('room')})
       RETURNING id`,
    )
    .cte(
      'lines',
      sql`SELECT * FROM unnest(${p.productIds}::uuid[], ${p.quantities}::int[], ${p.unitPrices}::int[],
                            ${p.lineTotals}::int[], ${p.lineDiscounts}::int[], ${p.taxRates}::int[],
                            ${p.skus}::text[], ${p.names}::text[], ${p.unitLabels}::text[])
         AS l(product_id, quantity, unit_price_minor, line_total_minor, discount_minor, tax_rate_bp, sku, name, unit_label)`,
    );
  const written = reserveStock(ctes, {
    store: sql`${p.storeId}::uuid`,
    lines: rel('lines'),
    gate: rel('placed'),
    orderId: sql`${p.orderId}::uuid`,
    actorId: sql`${p.userId}::uuid`,
  })
    .cte(
      'new_items',
      sql`INSERT INTO order_items (order_id, product_id, sku, name, unit_label, unit_price_minor, quantity,
                                line_total_minor, discount_minor, tax_rate_bp)
       SELECT placed.id, l.product_id, l.sku, l.name, l.unit_label, l.unit_price_minor, l.quantity,
              l.line_total_minor, l.discount_minor, l.tax_rate_bp
         FROM ${rel('placed')}, ${rel('lines')} l`,
    )
    .cte(
      'first_event',
      sql`INSERT INTO order_events (order_id, seq, type, from_status, to_status, actor_id, actor_role, reason, data, created_at)
       SELECT placed.id, ${p.eventSeq}::int, ${p.eventType}::text, ${p.eventFrom}::text, ${p.eventTo}::text,
              ${p.eventActorId}::uuid, ${p.eventActorRole}::text, ${p.eventReason}::text, ${p.eventData}::jsonb,
              ${p.eventAt}::timestamptz
         FROM ${rel('placed')}`,
    )
    .cte(
      'keyed',
      sql`INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body, expires_at)
       SELECT ${p.userId}::uuid, ${p.key}::text, ${p.requestHash}::text, 201, ${p.responseBody}::jsonb,
              now() + interval '${raw(IDEMPOTENCY_RETENTION)}'
         FROM ${rel('placed')}
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
             response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at <= now()
       RETURNING 1`,
    );
  return claimPromotionUses(written, {
    orderId: sql`${p.orderId}::uuid`,
    userId: sql`${p.userId}::uuid`,
    promotionIds: sql`${p.promotionIds}::uuid[]`,
    amounts: sql`${p.promotionAmounts}::int[]`,
    gate: rel('placed'),
  });
}

type WriteCtes = ReturnType<typeof writeCtes> extends With<infer N> ? N : never;

/** What the write answers, refusing (and so rolling back with its COMMIT) what must not be kept. */
function writeResult(p: Params<WriteParams>): Sql<WriteCtes> {
  return sql`SELECT r.placed, r.customer_ok,
            -- Goes out with its COMMIT (PipelinedTransaction): what must not be kept fails here.
            CASE WHEN r.placed = 1 AND r.keyed = 0 THEN refuse_placement('${raw(PLACEMENT_REFUSALS.keyTaken)}')
                 WHEN r.placed = 1 AND r.taken <> cardinality(${p.productIds}::uuid[])
                   THEN refuse_placement('${raw(PLACEMENT_REFUSALS.stockMoved)}')
                 WHEN r.placed = 1 AND r.redeemed <> cardinality(${p.promotionIds}::uuid[])
                   THEN promotion_unavailable()
             END AS refused
       FROM (SELECT (SELECT count(*) FROM ${rel('placed')})::int AS placed,
                    (SELECT count(*) FROM ${rel('stock_taken')})::int AS taken,
                    (SELECT count(*) FROM ${rel('keyed')})::int AS keyed,
                    (SELECT count(*) FROM ${rel('promotion_redeemed')})::int AS redeemed,
                    (SELECT customer_ok FROM ${rel('room')}) AS customer_ok) r`;
}

/** A placement's write with more CTEs of the caller's (e.g. checkout empties the cart). */
export type WriteExtension = (
  w: With<WriteCtes>,
  p: Params<WriteParams>,
) => With<WriteCtes | string>;

/** The write statement, extended: defined once, at module load, under its own name. */
export function definePlacementWrite(
  name: string,
  extend: WriteExtension = (w) => w,
): StatementDefinition<WriteParams> {
  return defineStatement<WriteParams>(name, (p) => extend(writeCtes(p), p).select(writeResult(p)));
}

const WRITE_PLACEMENT = definePlacementWrite('write-placement');

/** The statement of `writeAndCommitPlacement`, also run by the benchmark's raw-pg baseline. */
export function writePlacementStatement(
  w: PlacementWrite,
  statement: StatementDefinition<WriteParams> = WRITE_PLACEMENT,
): PreparedStatement {
  const { order, items, event, idempotency } = w;
  return statement.bind({
    orderId: order.id,
    userId: order.userId,
    storeId: order.storeId,
    status: order.status,
    version: order.version,
    address: JSON.stringify(order.address),
    note: order.note,
    currency: order.currency,
    subtotalMinor: order.subtotalMinor,
    deliveryFeeMinor: order.deliveryFeeMinor,
    smallBasketFeeMinor: order.smallBasketFeeMinor,
    discountMinor: order.discountMinor,
    taxes: JSON.stringify(order.taxes),
    discounts: JSON.stringify(order.discounts),
    totalMinor: order.totalMinor,
    promisedBy: order.promisedBy,
    placedAt: order.placedAt,
    paymentMethod: order.paymentMethod,
    maxOpenOrders: w.maxOpenOrders,
    productIds: items.map((i) => i.productId),
    quantities: items.map((i) => i.quantity),
    unitPrices: items.map((i) => i.unitPriceMinor),
    lineTotals: items.map((i) => i.lineTotalMinor),
    lineDiscounts: items.map((i) => i.discountMinor),
    taxRates: items.map((i) => i.taxRateBp),
    skus: items.map((i) => i.sku),
    names: items.map((i) => i.name),
    unitLabels: items.map((i) => i.unitLabel),
    eventSeq: event.seq,
    eventType: event.type,
    eventFrom: event.fromStatus,
    eventTo: event.toStatus,
    eventActorId: event.actorId,
    eventActorRole: event.actorRole,
    eventReason: event.reason,
    eventData: JSON.stringify(event.data),
    eventAt: event.createdAt,
    key: idempotency.key,
    requestHash: idempotency.requestHash,
    responseBody: JSON.stringify(idempotency.responseBody),
    promotionIds: w.promotions.map((c) => c.promotionId),
    promotionAmounts: w.promotions.map((c) => c.amountMinor),
  });
}

/**
 * Writes a placed order in one statement, sent with the transaction's COMMIT: the order (unless
 * the customer already has `maxOpenOrders` open: nothing is written and `customerOk` is false),
 * the stock it takes with the ledger rows (inventory's SQL), its items, its first event (the
 * outbox row) and the idempotency record of its response. The caller holds the stock rows locked
 * (`beginAndClaim`) and checked that there is enough. The statement fails, and so rolls back, when
 * the key was stored meanwhile by a request that raced this one (`PLACEMENT_REFUSALS.keyTaken`),
 * when a store at its limit refuses the order (`STORE_LIMIT_RULE`), or when stock moved under the
 * lock (`PLACEMENT_REFUSALS.stockMoved`, a bug).
 */
export async function writeAndCommitPlacement(
  tx: PipelinedTransaction,
  w: PlacementWrite,
  statement?: StatementDefinition<WriteParams>,
): Promise<{ placed: boolean; customerOk: boolean }> {
  const [row] = await tx.commitWith<{ placed: number; customer_ok: boolean }>(
    writePlacementStatement(w, statement),
  );
  return { placed: row!.placed === 1, customerOk: row!.customer_ok };
}
