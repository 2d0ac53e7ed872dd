import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import {
  load,
  newKey,
  openLoop,
  percentile,
  rawPgPlacement,
  subscribers,
  type LoadResult,
} from './scenarios.js';
import { BenchStack, sleep } from './stack.js';

/**
 * `make bench`: FlashCart against baselines measured in the same run on the same machine.
 * Everything targets 127.0.0.1 and every scenario is bounded in time.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** BENCH_ONLY=catalog,placement,tracking runs a subset (e.g. while profiling). */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'catalog,placement,tracking').split(','));
const PORT_A = 3400;
const PORT_B = 3401;
const CUSTOMERS = 100;
const PRODUCTS = 300;
const HOT_STOCK = 500;
/** Dark stores at one place: customers are spread over them, as a city's are. */
const STORES = Number(process.env.BENCH_STORES ?? 10);

interface Row {
  scenario: string;
  result: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean;
}

/** Two halves of one measurement: mean throughput and p50, the worse p99. */
function combine(halves: LoadResult[]): LoadResult {
  const mean = (pick: (r: LoadResult) => number) =>
    Math.round(halves.reduce((sum, r) => sum + pick(r), 0) / halves.length);
  const statuses: Record<string, number> = {};
  for (const half of halves)
    for (const [code, n] of Object.entries(half.statuses))
      statuses[code] = (statuses[code] ?? 0) + n;
  return {
    rps: mean((r) => r.rps),
    p50: mean((r) => r.p50),
    p99: Math.max(...halves.map((r) => r.p99)),
    requests: halves.reduce((sum, r) => sum + r.requests, 0),
    statuses,
  };
}

/** Loads run side by side (one per api instance): throughput adds up, the worse p99 counts. */
function together(parts: LoadResult[]): LoadResult {
  const requests = parts.reduce((sum, r) => sum + r.requests, 0);
  const statuses: Record<string, number> = {};
  for (const part of parts)
    for (const [code, n] of Object.entries(part.statuses))
      statuses[code] = (statuses[code] ?? 0) + n;
  return {
    rps: parts.reduce((sum, r) => sum + r.rps, 0),
    p50: Math.round(parts.reduce((sum, r) => sum + r.p50 * r.requests, 0) / Math.max(1, requests)),
    p99: Math.max(...parts.map((r) => r.p99)),
    requests,
    statuses,
  };
}

const progress = (step: string) => console.log(`[bench] ${new Date().toISOString()} ${step}`);

const fmt = (r: LoadResult, unit = 'req/s') => `${r.rps} ${unit}, p50 ${r.p50} ms, p99 ${r.p99} ms`;

async function post(url: string, path: string, body: unknown, token?: string, key?: string) {
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

async function main(): Promise<void> {
  const stack = new BenchStack();
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  const startedAt = new Date();
  console.log(`[bench] database ${stack.database}, ${SECONDS} s per load scenario`);
  await stack.createDatabase();
  try {
    const api = await stack.startApi(PORT_A);
    const A = `http://127.0.0.1:${PORT_A}`;
    // Accounts are made through B: argon2id takes 19 MiB of native memory per hash, which would
    // otherwise inflate the RSS of A, the instance whose memory scenario 4 reports.
    await stack.startApi(PORT_B);
    const B = `http://127.0.0.1:${PORT_B}`;

    // --- data: one store, products with deep stock, a hot SKU, customers and an admin ---
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
    const store = stores[0]!; // the catalog, hot SKU and tracking scenarios use one store
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
    const others = products.slice(1);
    const customers: { id: string; token: string }[] = [];
    for (let i = 0; i < CUSTOMERS; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          post(B, '/v1/auth/signup', {
            email: `bench-${i + j}@bench.local`,
            password: 'bench-password-1',
            name: 'Bench',
          }),
        ),
      );
      customers.push(...batch.map((r) => ({ id: r.body.user.id, token: r.body.accessToken })));
    }
    await post(B, '/v1/auth/signup', {
      email: 'admin@bench.local',
      password: 'bench-password-1',
      name: 'Admin',
    });
    await db.query(`UPDATE users SET role = 'admin' WHERE email = 'admin@bench.local'`);
    await post(B, '/v1/auth/signup', {
      email: 'rider@bench.local',
      password: 'bench-password-1',
      name: 'Rider',
    });
    const [rider] = (
      await db.query(
        `UPDATE users SET role = 'rider' WHERE email = 'rider@bench.local' RETURNING id`,
      )
    ).rows;
    const adminToken = (
      await post(B, '/v1/auth/login', { email: 'admin@bench.local', password: 'bench-password-1' })
    ).body.accessToken;
    const address = {
      line1: '1 Bench Road',
      city: 'Bengaluru',
      pincode: '560001',
      lat: 12.97,
      lng: 77.59,
    };

    if (ONLY.has('catalog')) {
      progress('catalog read');
      // --- 1. catalog read vs a bare route of the same size on the same app ---
      const rssIdle = BenchStack.rssMb(api.pid!);
      const listPath = `/v1/products?storeId=${store.id}&limit=20`;
      const pageBytes = (await (await fetch(`${A}${listPath}`)).text()).length;
      const read = (path: string, seconds: number) =>
        load({ url: A, path, connections: 50, seconds });
      const paths = {
        baseline: `/v1/bench/constant?bytes=${pageBytes}`,
        list: listPath,
        one: `/v1/products/${others[5]!.id}?storeId=${store.id}`,
      };
      await read(paths.baseline, 3); // warm-up of the whole pipeline, not counted
      // Baseline and routes take turns, twice, so that machine noise hits them alike.
      const runs: Record<keyof typeof paths, LoadResult[]> = { baseline: [], list: [], one: [] };
      for (let round = 0; round < 2; round++) {
        for (const name of Object.keys(paths) as (keyof typeof paths)[]) {
          runs[name].push(await read(paths[name], SECONDS / 2));
        }
      }
      const [baseline, list, one] = [runs.baseline, runs.list, runs.one].map(combine) as [
        LoadResult,
        LoadResult,
        LoadResult,
      ];
      const rssAfter = BenchStack.rssMb(api.pid!);
      raw.catalog = { pageBytes, baseline, list, one };
      for (const [name, r] of [
        ['catalog list (cached)', list],
        ['product by id (cached)', one],
      ] as const) {
        const ratio = r.rps / baseline.rps;
        rows.push({
          scenario: name,
          result: fmt(r),
          baseline: fmt(baseline),
          ratio: `${(ratio * 100).toFixed(0)}%`,
          target: '>= 60% of baseline, p99 < 50 ms',
          met: ratio >= 0.6 && r.p99 < 50,
        });
      }

      // --- 4. memory ---
      raw.memory = { rssIdleMb: rssIdle, rssAfterReadMb: rssAfter };
      rows.push({
        scenario: 'api RSS (idle → after catalog read)',
        result: `${rssIdle} MB → ${rssAfter} MB`,
        baseline: '-',
        ratio: '-',
        target: '< 200 MB after the read scenario',
        met: rssAfter < 200,
      });
    }

    if (ONLY.has('placement')) {
      // --- 2. order placement vs the same transaction through raw pg ---
      const pick3 = () => {
        const picked = new Set<number>();
        while (picked.size < 3) picked.add(Math.floor(Math.random() * others.length));
        return [...picked].map((i) => others[i]!);
      };
      // 100 customers on one api instance, then the same 100 spread over both instances (one
      // Node process uses one core; the api scales out by running more of them).
      // The store's capacity (PLACED + PACKED, at most 10,000) would stop a long run: between
      // scenarios the bench plays the store's staff and delivers everything (bench data only).
      const deliverAll = () =>
        db.query(
          `UPDATE orders SET status = 'DELIVERED', rider_id = $1 WHERE status IN ('PLACED', 'PACKED')`,
          [rider.id],
        );
      const placeOn = async (
        urls: string[],
        seconds: number,
        items: () => unknown[],
        storeOf = (customer: number) => stores[customer % STORES]!.id,
      ) => {
        await deliverAll();
        const share = CUSTOMERS / urls.length;
        return Promise.all(
          urls.map((url, i) =>
            load({
              url,
              path: '/v1/orders',
              method: 'POST',
              connections: share,
              seconds,
              headers: (c) => ({
                // Each instance serves its own share of the customers.
                authorization: `Bearer ${customers[i * share + (c % share)]!.token}`,
                'idempotency-key': newKey(),
              }),
              body: (c) => ({ items: items(), address, storeId: storeOf(i * share + (c % share)) }),
            }),
          ),
        ).then(together);
      };
      progress('order placement');
      const threeItems = () => pick3().map((p) => ({ productId: p.id, quantity: 1 }));
      const placements = {
        [`order placement, 3 items, 100 customers over ${STORES} stores, 1 api instance`]:
          await placeOn([A], SECONDS, threeItems),
        [`order placement, 3 items, 100 customers over ${STORES} stores, 2 api instances`]:
          await placeOn([A, B], SECONDS, threeItems),
      };
      progress('order placement, open loop');
      // What a customer feels: a fixed offered rate well below capacity, latency from the time each
      // order was due (the closed-loop p99 above follows throughput, by Little's law).
      const openRate = Number(process.env.BENCH_OPEN_RATE ?? 250);
      await deliverAll();
      const open = await openLoop({
        url: A,
        path: '/v1/orders',
        rate: openRate,
        seconds: SECONDS,
        headers: (i) => ({
          authorization: `Bearer ${customers[i % CUSTOMERS]!.token}`,
          'idempotency-key': newKey(),
        }),
        body: (i) => ({ items: threeItems(), address, storeId: stores[i % STORES]!.id }),
      });
      raw.openLoop = open;
      rows.push({
        scenario: `order placement, open loop ${openRate} orders/s offered, 1 api instance`,
        result: `${open.statuses['201'] ?? 0}/${open.requests} placed, p50 ${open.p50} ms, p99 ${open.p99} ms, max ${open.max} ms`,
        baseline: '-',
        ratio: '-',
        target: 'all placed, p99 < 50 ms (from the due time)',
        met: open.statuses['201'] === open.requests && open.p99 < 50,
      });
      progress('order placement: raw pg baseline');
      const pgBaseline = await rawPgPlacement({
        databaseUrl: stack.databaseUrl,
        storeIds: stores.map((s) => s.id),
        userIds: customers.map((c) => c.id),
        pickProducts: pick3,
        concurrency: CUSTOMERS,
        seconds: SECONDS,
      });
      raw.placement = { ...placements, pgBaseline };
      for (const [scenario, placement] of Object.entries(placements)) {
        const placedRps = Math.round((placement.statuses['201'] ?? 0) / SECONDS);
        rows.push({
          scenario,
          result: `${placedRps} orders/s, p50 ${placement.p50} ms, p99 ${placement.p99} ms`,
          baseline: fmt(pgBaseline, 'orders/s'),
          ratio: `${((placedRps / pgBaseline.rps) * 100).toFixed(0)}%`,
          target: '>= 500 orders/s, p99 < 200 ms, >= 50% of raw pg',
          met: placedRps >= 500 && placement.p99 < 200 && placedRps >= pgBaseline.rps * 0.5,
        });
      }

      progress('hot SKU');
      // Every customer, on both instances, buys the one product whose stock runs out.
      const hotRun = await placeOn(
        [A, B],
        Math.min(SECONDS, 10),
        () => [{ productId: hot.id, quantity: 1 }],
        () => store.id,
      );
      const answered201 = hotRun.statuses['201'] ?? 0;
      // Requests in flight when the load stopped still commit: wait until the numbers settle.
      let accepted = -1;
      let left = -1;
      for (let i = 0; i < 50; i++) {
        await sleep(200);
        const [row] = (
          await db.query(
            `SELECT (SELECT count(*)::int FROM order_items WHERE product_id = $2) AS accepted,
                    (SELECT quantity FROM store_stock WHERE store_id = $1 AND product_id = $2) AS left`,
            [store.id, hot.id],
          )
        ).rows;
        if (row.accepted === accepted && row.left === left) break;
        ({ accepted, left } = row);
      }
      const [{ ledger }] = (
        await db.query(
          `SELECT COALESCE(SUM(delta), 0)::int AS ledger FROM stock_movements WHERE store_id = $1 AND product_id = $2`,
          [store.id, hot.id],
        )
      ).rows;
      const errors5xx = Object.entries(hotRun.statuses)
        .filter(([c]) => c.startsWith('5'))
        .reduce((n, [, v]) => n + v, 0);
      const oversell = accepted - HOT_STOCK > 0 ? accepted - HOT_STOCK : 0;
      raw.hotSku = { hotRun, answered201, accepted, left, ledger, errors5xx };
      rows.push({
        scenario: `hot SKU (stock ${HOT_STOCK}), 100 customers over 2 api instances`,
        result: `${accepted} orders (${answered201} answered 201), ${hotRun.statuses['409'] ?? 0} refused (409), ${errors5xx} 5xx, stock left ${left}, ledger ${ledger}`,
        baseline: `initial stock ${HOT_STOCK}`,
        ratio: `oversell ${oversell}`,
        target: 'oversell 0, final = initial - accepted, no 5xx',
        met: oversell === 0 && left === HOT_STOCK - accepted && ledger === left && errors5xx === 0,
      });
    }

    if (ONLY.has('tracking')) {
      progress('tracking fan-out');
      // --- 3. tracking fan-out over two instances ---
      const orders: string[] = [];
      for (let i = 0; i < 100; i++) {
        const res = await post(
          A,
          '/v1/orders',
          { items: [{ productId: others[i]!.id, quantity: 1 }], address, storeId: store.id },
          customers[i]!.token,
          newKey(),
        );
        orders.push(res.body.id);
      }
      const targets = Array.from({ length: 1000 }, (_, n) => ({
        url: n % 2 ? B : A,
        token: customers[n % 100]!.token,
        orderId: orders[n % 100]!,
      }));
      const { latencies, sockets } = await subscribers(targets);
      const transitions = [
        ...orders.map((id) => ({ id, body: { to: 'PACKED' } })),
        ...orders.map((id) => ({ id, body: { to: 'OUT_FOR_DELIVERY', riderId: rider.id } })),
      ];
      let failedTransitions = 0;
      for (let i = 0; i < transitions.length; i += 10) {
        const answers = await Promise.all(
          transitions
            .slice(i, i + 10)
            .map((t) =>
              post(i % 20 ? B : A, `/v1/admin/orders/${t.id}/transitions`, t.body, adminToken),
            ),
        );
        failedTransitions += answers.filter((a) => a.status !== 200).length;
      }
      const expected = transitions.length * 10;
      for (let i = 0; i < 150 && latencies.length < expected; i++) await sleep(100);
      for (const socket of sockets) socket.close();
      const sorted = [...latencies].sort((a, b) => a - b);
      const p50 = percentile(sorted, 50);
      const p99 = percentile(sorted, 99);
      raw.tracking = { expected, received: latencies.length, p50, p99, failedTransitions };
      rows.push({
        scenario: 'tracking fan-out: 1,000 sockets on 2 instances, 200 changes',
        result: `received ${latencies.length}/${expected}, p50 ${p50} ms, p99 ${p99} ms (commit to receipt)`,
        baseline: '-',
        ratio: `${(latencies.length / expected).toFixed(3)}`,
        target: 'received/expected = 1.0, p99 < 50 ms',
        met: latencies.length === expected && p99 < 50,
      });
    }

    await db.end();
  } finally {
    await stack.teardown();
  }

  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const report = { startedAt: startedAt.toISOString(), seconds: SECONDS, machine, rows, raw };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    `bench/results/${startedAt.toISOString().replace(/[:.]/g, '-')}.json`,
    `${JSON.stringify(report, null, 2)}\n`,
  );
  console.log(
    `\nMachine: ${machine.cpus} × ${machine.cpu}, ${machine.memoryGb} GiB, Node ${machine.node}\n`,
  );
  console.log('| scenario | FlashCart | baseline (same run) | ratio | target | met |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.scenario} | ${r.result} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met ? 'yes' : 'no'} |`,
    );
}

await main();
process.exit(0);
