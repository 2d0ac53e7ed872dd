import type { PipelinedTransaction, PreparedStatement } from '#libs/database';
import { lockedStockForOrderSql, productsForOrderSql, reserveStockCtes } from '#libs/inventory';
import { OPEN_STATUSES } from '../order-state-machine.js';
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

/** The statement of `beginAndClaim`, also run by the benchmark's raw-pg baseline. */
export function claimAndLockStatement(p: ClaimParams): PreparedStatement {
  return {
    name: 'claim-and-lock-placement',
    text: `WITH customer AS MATERIALIZED (
       SELECT pg_advisory_xact_lock(hashtextextended('placement:' || $1, 0))
     ), claim AS MATERIALIZED (
       SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS locked,
              k.request_hash, k.response_status, k.response_body
         FROM customer
         LEFT JOIN idempotency_keys k ON k.user_id = $3 AND k.key = $2 AND k.expires_at > now()
     ), stock AS (
       -- Locked only once the customer lock is held (the claim is read first), so the two
       -- locks are always taken in the same order.
       ${lockedStockForOrderSql({ store: '$4', productIds: '$5::uuid[]', when: 'EXISTS (SELECT FROM claim)' })}
     )
     SELECT claim.*, stock.* FROM claim LEFT JOIN stock ON true`,
    values: [p.userId, p.key, p.userId, p.storeId, p.productIds],
  };
}

/**
 * The first statement of a placement, sent with BEGIN. It takes the customer's placement lock (so that two
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
 * A key stored between this statement's snapshot and its lock is caught by `writeAndCommitPlacement`.
 */
export async function beginAndClaim(
  tx: PipelinedTransaction,
  p: ClaimParams,
): Promise<PlacementLocks> {
  const rows = await tx.begin<LockRow>(claimAndLockStatement(p));
  const [first] = rows as [LockRow];
  const products = new Map(
    rows.filter((r) => r.id !== null).map((r) => [r.id!, toProduct(r as ProductRow)]),
  );
  const unstocked = p.productIds.filter((id) => !products.has(id));
  if (unstocked.length > 0) {
    // Rare: products the store has never stocked (or that do not exist): nothing to lock.
    const rest = await tx.query<ProductRow>({
      text: productsForOrderSql('$1::uuid[]'),
      values: [unstocked],
    });
    for (const r of rest) products.set(r.id, toProduct(r));
  }
  return {
    keyClaimed: first.locked,
    stored: first.request_hash === null ? undefined : (first as StoredRow),
    products,
  };
}

/** The write's refusal when its Idempotency-Key was stored meanwhile by a request that raced it. */
const KEY_TAKEN = 'idempotency_key_taken';
export const isKeyTaken = (err: unknown): boolean =>
  (err as { message?: string } | null)?.message === KEY_TAKEN;

export interface PlacementWrite {
  order: Order;
  items: OrderItem[];
  event: Omit<OrderEvent, 'id'>;
  maxOpenOrders: number;
  idempotency: { key: string; requestHash: string; responseBody: unknown };
}

/** The statement of `writeAndCommitPlacement`, also run by the benchmark's raw-pg baseline. */
export function writePlacementStatement(w: PlacementWrite): PreparedStatement {
  const { order, items, event, idempotency } = w;
  return {
    name: 'write-placement',
    text: `WITH room AS MATERIALIZED (
       -- Counted in this statement's snapshot, taken after the customer lock of beginAndClaim was
       -- granted: every placement of this customer that held it before has committed. (The
       -- store's limit is the insert's: the trigger on orders fails it with 'store_busy'.)
       SELECT (SELECT count(*) FROM orders WHERE user_id = $2::uuid AND status = ANY($14::text[])) < $15 AS customer_ok
     ), placed AS (
       INSERT INTO orders (id, user_id, store_id, status, version, address, note, currency,
                           subtotal_minor, delivery_fee_minor, total_minor, promised_by, placed_at, updated_at)
       SELECT $1::uuid, $2::uuid, $3::uuid, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12::timestamptz,
              $13::timestamptz, $13::timestamptz
        WHERE (SELECT customer_ok FROM room)
       RETURNING id
     ), lines AS (
       SELECT * FROM unnest($16::uuid[], $17::int[], $18::int[], $19::int[], $20::text[], $21::text[], $22::text[])
         AS l(product_id, quantity, unit_price_minor, line_total_minor, sku, name, unit_label)
     ), ${reserveStockCtes({ store: '$3::uuid', lines: 'lines', gate: 'placed', orderId: '$1::uuid', actorId: '$2::uuid' })}
     , new_items AS (
       INSERT INTO order_items (order_id, product_id, sku, name, unit_label, unit_price_minor, quantity, line_total_minor)
       SELECT placed.id, l.product_id, l.sku, l.name, l.unit_label, l.unit_price_minor, l.quantity, l.line_total_minor
         FROM placed, lines l
     ), first_event AS (
       INSERT INTO order_events (order_id, seq, type, from_status, to_status, actor_id, actor_role, reason, data, created_at)
       SELECT placed.id, $23, $24, $25, $26, $27::uuid, $28, $29, $30::jsonb, $31::timestamptz FROM placed
     ), keyed AS (
       INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body, expires_at)
       SELECT $2::uuid, $32, $33, 201, $34::jsonb, now() + interval '${IDEMPOTENCY_RETENTION}' FROM placed
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
             response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at <= now()
       RETURNING 1
     )
     SELECT r.placed, r.customer_ok,
            -- Goes out with its COMMIT (PipelinedTransaction): what must not be kept fails here.
            CASE WHEN r.placed = 1 AND r.keyed = 0 THEN refuse_placement('${KEY_TAKEN}')
                 WHEN r.placed = 1 AND r.taken <> cardinality($16::uuid[]) THEN refuse_placement('stock moved under a row lock')
             END AS refused
       FROM (SELECT (SELECT count(*) FROM placed)::int AS placed, (SELECT count(*) FROM taken)::int AS taken,
                    (SELECT count(*) FROM keyed)::int AS keyed, (SELECT customer_ok FROM room) AS customer_ok) r`,
    values: [
      order.id,
      order.userId,
      order.storeId,
      order.status,
      order.version,
      JSON.stringify(order.address),
      order.note,
      order.currency,
      order.subtotalMinor,
      order.deliveryFeeMinor,
      order.totalMinor,
      order.promisedBy,
      order.placedAt,
      OPEN_STATUSES,
      w.maxOpenOrders,
      items.map((i) => i.productId),
      items.map((i) => i.quantity),
      items.map((i) => i.unitPriceMinor),
      items.map((i) => i.lineTotalMinor),
      items.map((i) => i.sku),
      items.map((i) => i.name),
      items.map((i) => i.unitLabel),
      event.seq,
      event.type,
      event.fromStatus,
      event.toStatus,
      event.actorId,
      event.actorRole,
      event.reason,
      JSON.stringify(event.data),
      event.createdAt,
      idempotency.key,
      idempotency.requestHash,
      JSON.stringify(idempotency.responseBody),
    ],
  };
}

/**
 * Writes a placed order in one statement, sent with the transaction's COMMIT: the order (unless
 * the customer already has `maxOpenOrders` open: nothing is written and `customerOk` is false),
 * the stock it takes with the ledger rows (inventory's SQL), its items, its first event (the
 * outbox row) and the idempotency record of its response. The caller holds the stock rows locked
 * (`beginAndClaim`) and checked that there is enough. The statement fails, and so rolls back, when
 * the key was stored meanwhile by a request that raced this one (`isKeyTaken`), when a store at
 * its limit refuses the order ('store_busy'), or when stock moved under the lock (a bug).
 */
export async function writeAndCommitPlacement(
  tx: PipelinedTransaction,
  w: PlacementWrite,
): Promise<{ placed: boolean; customerOk: boolean }> {
  const [row] = await tx.commitWith<{ placed: number; customer_ok: boolean }>(
    writePlacementStatement(w),
  );
  return { placed: row!.placed === 1, customerOk: row!.customer_ok };
}
