import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PG_POOL_OPTIONS, PipelinedTransaction } from '#libs/database';
import {
  claimAndLockStatements,
  toOrderView,
  writePlacementStatement,
  type Order,
  type PlacementWrite,
} from '#libs/orders';
import { percentile, type LoadResult } from './load.js';

interface LockedRow {
  id: string;
  sku: string;
  name: string;
  unit_label: string;
  price_minor: number;
  quantity: number;
}

/**
 * The raw-pg baseline of order placement: what PostgreSQL can do with a placement and nothing
 * else. The api's own two statements (claim the key and lock the stock; write order, stock,
 * ledger, items, event and stored response), as named prepared statements in one transaction
 * sent in the api's two flights (`PipelinedTransaction`: BEGIN with the first, the second with
 * COMMIT) on a plain `pg` pool of the api's size, at the same concurrency; no HTTP, no
 * validation, no framework. The api's placement divided by this is what our own code costs.
 */
export async function rawPgPlacement(options: {
  databaseUrl: string;
  /** Worker n places at storeIds[n % length] for userIds[n % length]. */
  storeIds: string[];
  userIds: string[];
  pickProducts: () => { id: string }[];
  concurrency: number;
  seconds: number;
}): Promise<LoadResult> {
  const placer = rawPgPlacer(options.databaseUrl);
  const latencies: number[] = [];
  let ok = 0;
  let short = 0;
  const deadline = Date.now() + options.seconds * 1000;
  const worker = async (n: number) => {
    const storeId = options.storeIds[n % options.storeIds.length]!;
    const userId = options.userIds[n % options.userIds.length]!;
    while (Date.now() < deadline) {
      const productIds = options.pickProducts().map((p) => p.id);
      const started = performance.now();
      if (!(await placer.place(userId, storeId, productIds))) {
        short++;
        continue;
      }
      ok++;
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, n) => worker(n)));
  await placer.end();
  latencies.sort((a, b) => a - b);
  return {
    rps: Math.round(ok / options.seconds),
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    requests: ok + short,
    statuses: { committed: ok, short },
  };
}

/**
 * One raw-pg placement at a time, on a pool of the api's options (same size, same wire: pipeline
 * mode, one write per flight): what both the closed and the open loop baselines send.
 */
export function rawPgPlacer(databaseUrl: string): {
  /** Places one unit of each product; false when one was short (nothing written). */
  place: (userId: string, storeId: string, productIds: string[]) => Promise<boolean>;
  end: () => Promise<void>;
} {
  const pool = new pg.Pool({ connectionString: databaseUrl, ...PG_POOL_OPTIONS });
  pool.on('error', () => undefined); // an idle connection ended from outside: the pool drops it
  return {
    place: (userId, storeId, productIds) => {
      const key = randomUUID();
      return PipelinedTransaction.run(pool, async (tx) => {
        const rows = await tx.begin<LockedRow>(
          ...claimAndLockStatements({ userId, key, storeId, productIds }),
        );
        if (!rows.every((r) => r.quantity >= 1)) return false; // rolled back by run()
        await tx.commitWith(writePlacementStatement(placement(userId, storeId, key, rows)));
        return true;
      });
    },
    end: () => pool.end(),
  };
}

/** One unit of each locked product, priced as read: the write the api would make. */
function placement(
  userId: string,
  storeId: string,
  key: string,
  rows: LockedRow[],
): PlacementWrite {
  const now = new Date();
  const total = rows.reduce((sum, r) => sum + r.price_minor, 0);
  const order = {
    id: randomUUID(),
    userId,
    storeId,
    status: 'PLACED',
    paymentMethod: 'cod',
    version: 1,
    address: {
      line1: '1 Bench Road',
      city: 'Bengaluru',
      pincode: '560001',
      lat: 12.97,
      lng: 77.59,
    },
    note: null,
    currency: 'INR',
    subtotalMinor: total,
    deliveryFeeMinor: 0,
    smallBasketFeeMinor: 0,
    discountMinor: 0,
    discounts: [],
    taxes: [],
    totalMinor: total,
    promisedBy: new Date(now.getTime() + 600_000),
    riderId: null,
    refundDueMinor: 0,
    cancelReason: null,
    placedAt: now,
    updatedAt: now,
  } as unknown as Order;
  const items = rows.map((r) => ({
    orderId: order.id,
    productId: r.id,
    sku: r.sku,
    name: r.name,
    unitLabel: r.unit_label,
    unitPriceMinor: r.price_minor,
    quantity: 1,
    lineTotalMinor: r.price_minor,
    discountMinor: 0,
    taxRateBp: 500,
  }));
  const event = {
    orderId: order.id,
    seq: 1,
    type: 'order.placed',
    fromStatus: null,
    toStatus: 'PLACED' as const,
    actorId: userId,
    actorRole: 'customer',
    reason: null,
    // What the api's event carries (its size is PostgreSQL's work too).
    data: {
      total,
      paymentMethod: 'cod',
      promisedBy: order.promisedBy.toISOString(),
      packBy: new Date(now.getTime() + 600_000).toISOString(),
    },
    createdAt: now,
  };
  return {
    order,
    items,
    event,
    maxOpenOrders: 1_000_000,
    promotions: [],
    // The api stores the whole answer for a replay: the same document here, not a stand-in.
    idempotency: {
      key,
      requestHash: 'bench',
      responseBody: toOrderView(order, items, [event]),
    },
  };
}
