import pg from 'pg';
import type { BenchStack } from './stack.js';

export const CUSTOMERS = 100;
const PRODUCTS = 300;
export const HOT_STOCK = 500;
/** Dark stores at one place: customers are spread over them, as a city's are. */
export const STORES = Number(process.env.BENCH_STORES ?? 10);

export const ADDRESS = {
  line1: '1 Bench Road',
  city: 'Bengaluru',
  pincode: '560001',
  lat: 12.97,
  lng: 77.59,
};

export async function post(url: string, path: string, body: unknown, token?: string, key?: string) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

/** What every scenario works with: the bench database's stores, products and people. */
export interface Fixtures {
  /** A direct connection for setup and for checking results (bench data only). */
  db: pg.Client;
  stores: { id: string }[];
  /** The catalog, hot SKU and tracking scenarios use one store. */
  store: { id: string };
  hot: { id: string; price: number };
  /** Every product but the hot one, with deep stock everywhere. */
  others: { id: string; price: number }[];
  customers: { id: string; token: string }[];
  adminToken: string;
  riderId: string;
}

/**
 * Stores, products with deep stock (and one hot SKU with little), 100 customers, an admin and a
 * rider. Accounts are made through `accountsUrl`: argon2id takes 19 MiB of native memory per
 * hash, which would otherwise inflate the RSS of the instance whose memory the bench reports.
 */
export async function createFixtures(stack: BenchStack, accountsUrl: string): Promise<Fixtures> {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  db.on('error', () => undefined); // the teardown's DROP DATABASE ends it if a scenario threw
  await db.connect();
  const stores = (
    await db.query(
      `INSERT INTO stores (code, name, latitude, longitude, service_radius_m, max_open_orders)
       SELECT 'BENCH-' || i, 'Bench ' || i, 12.97, 77.59, 50000, 10000
         FROM generate_series(1, ${STORES}) i RETURNING id`,
    )
  ).rows as { id: string }[];
  const store = stores[0]!;
  const [category] = (
    await db.query(`INSERT INTO categories (slug, name) VALUES ('bench', 'Bench') RETURNING id`)
  ).rows;
  const products = (
    await db.query(
      `INSERT INTO products (sku, name, category_id, price_minor, unit_label, max_per_order)
       SELECT 'BENCH-' || i, 'Bench product ' || lpad(i::text, 4, '0'), $1, 1000 + i, '1 pc', 100
       FROM generate_series(1, ${PRODUCTS}) i RETURNING id, price_minor AS price`,
      [category.id],
    )
  ).rows as { id: string; price: number }[];
  const hot = products[0]!;
  await db.query(
    `INSERT INTO store_stock (store_id, product_id, quantity)
     SELECT s.id, p.id, CASE WHEN s.id = $1 AND p.id = $2 THEN $3::int ELSE 10000000 END
       FROM stores s, products p`,
    [store.id, hot.id, HOT_STOCK],
  );
  await db.query(
    `INSERT INTO stock_movements (store_id, product_id, delta, quantity_after, reason)
     SELECT store_id, product_id, quantity, quantity, 'restock' FROM store_stock`,
  );
  const signup = (email: string) =>
    post(accountsUrl, '/v1/auth/signup', { email, password: 'bench-password-1', name: 'Bench' });
  const customers: Fixtures['customers'] = [];
  for (let i = 0; i < CUSTOMERS; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: 10 }, (_, j) => signup(`bench-${i + j}@bench.local`)),
    );
    customers.push(...batch.map((r) => ({ id: r.body.user.id, token: r.body.accessToken })));
  }
  await signup('admin@bench.local');
  await db.query(`UPDATE users SET role = 'admin' WHERE email = 'admin@bench.local'`);
  await signup('rider@bench.local');
  const [rider] = (
    await db.query(`UPDATE users SET role = 'rider' WHERE email = 'rider@bench.local' RETURNING id`)
  ).rows;
  // On shift at the bench store: sending an order out by hand needs a rider on shift there.
  await db.query(
    `INSERT INTO rider_shifts (rider_id, store_id, on_shift, since, updated_at)
     VALUES ($1, $2, true, now(), now())
     ON CONFLICT (rider_id) DO UPDATE SET store_id = $2, on_shift = true, updated_at = now()`,
    [rider.id, store.id],
  );
  const adminToken = (
    await post(accountsUrl, '/v1/auth/login', {
      email: 'admin@bench.local',
      password: 'bench-password-1',
    })
  ).body.accessToken;
  return {
    db,
    stores,
    store,
    hot,
    others: products.slice(1),
    customers,
    adminToken,
    riderId: rider.id,
  };
}

/**
 * Puts the bench database in the same state before each measured run: the stores' open orders
 * delivered (their capacity would stop a long run; the bench plays the stores' staff), every
 * table vacuumed and analysed, and a checkpoint taken. Otherwise a run inherits the one before
 * it: its dead rows, the autovacuum they start, statistics the planner has not seen yet, and a
 * checkpoint after which each first write of a page logs the whole page. The raw-pg baseline ran
 * first, on tables never analysed, and that alone moved a ratio by tens of percent.
 */
export async function settle(data: Pick<Fixtures, 'db' | 'riderId'>): Promise<void> {
  await data.db.query(
    `UPDATE orders SET status = 'DELIVERED', rider_id = $1 WHERE status IN ('PLACED', 'PACKED')`,
    [data.riderId],
  );
  await data.db.query('VACUUM (ANALYZE)');
  // Needs a superuser or pg_checkpoint; without it only the checkpoints' timing is left to chance.
  await data.db.query('CHECKPOINT').catch(() => undefined);
}
