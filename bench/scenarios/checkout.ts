import { ADDRESS, post, settle, STORES } from '../fixtures.js';
import type { CpuShare } from '../cpu.js';
import { measuringCpu, newKey } from '../load.js';
import { progress, type ScenarioContext } from './context.js';

/** Checkout may cost at most this × a direct placement's CPU (api + PostgreSQL) per order. */
const TARGET_CPU_RATIO = 1.5;

/**
 * Checkout as a customer's app does it, in rounds: every customer adds 3–6 lines to the
 * server-side cart (each answer is the cart priced now, an automatic promotion on every line),
 * then every customer checks out at the version the last answer showed. The two phases are
 * measured apart: the checkout's CPU (api + PostgreSQL) per order against the direct placement
 * of the same run, and what building the cart cost per line.
 */
export async function checkout(ctx: ScenarioContext): Promise<void> {
  const { stores, others, customers } = ctx.data;
  const url = ctx.apiA.url;
  // Through the admin route, as an operator would: it invalidates every api's cached promotions.
  // (Inserted behind the apis' backs, carts built on the stale cache were rightly refused at
  // checkout with 409 CART_CHANGED once the cache refreshed.)
  const promotion = await post(
    url,
    '/v1/admin/promotions',
    { name: 'Bench: 5% off everything', kind: 'percent', percentBp: 500 },
    ctx.data.adminToken,
  );
  if (promotion.status !== 201) throw new Error(`promotion ${promotion.status}`);
  await settle(ctx.data);
  const call = async (
    token: string,
    method: string,
    path: string,
    body?: unknown,
    key?: string,
  ) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  await Promise.all(
    customers.map((c, i) =>
      call(c.token, 'PUT', '/v1/cart/address', {
        address: ADDRESS,
        storeId: stores[i % STORES]!.id,
      }),
    ),
  );
  progress('checkout: rounds of carts of 3-6 lines with a promotion, then checkout, 1 api');
  /** CPU in ms of one core, summed over phases: share (% of a core) × seconds × 10. */
  const spent = { build: 0, checkout: 0, checkoutApi: 0, buildSeconds: 0, checkoutSeconds: 0 };
  const cpuMs = (c: CpuShare, seconds: number) => (c.api + c.postgres) * seconds * 10;
  /** Statements sent by the api during the checkouts (BENCH_COUNT_QUERIES=1), by kind. */
  const statements = new Map<string, number>();
  const counting = process.env.BENCH_COUNT_QUERIES === '1';
  /** The counts since the last call (and the counter reset). */
  const queriesSince = async (): Promise<Record<string, number>> =>
    counting ? ((await fetch(`${url}/v1/bench/queries?reset=1`)).json() as any) : {};
  let orders = 0;
  let refused = 0;
  /** The refusals by status and code (a bench that loses orders says why). */
  const refusals = new Map<string, number>();
  let lines = 0;
  const latencies: number[] = [];
  const until = performance.now() + ctx.seconds * 1000;
  while (performance.now() < until) {
    let started = performance.now();
    const build = await measuringCpu(() =>
      Promise.all(
        customers.map(async (customer) => {
          let cart: any;
          const count = 3 + Math.floor(Math.random() * 4);
          for (let l = 0; l < count; l++) {
            const product = others[Math.floor(Math.random() * others.length)]!;
            cart = (
              await call(customer.token, 'POST', '/v1/cart/lines', {
                productId: product.id,
                quantity: 1,
              })
            ).body;
          }
          lines += count;
          return cart.version as string;
        }),
      ),
    );
    const buildSeconds = (performance.now() - started) / 1000;
    spent.build += cpuMs(build.cpu, buildSeconds);
    spent.buildSeconds += buildSeconds;
    started = performance.now();
    await queriesSince();
    const placed = await measuringCpu(() =>
      Promise.all(
        customers.map(async (customer, i) => {
          const t0 = performance.now();
          const res = await call(
            customer.token,
            'POST',
            '/v1/cart/checkout',
            { version: build.value[i] },
            newKey(),
          );
          if (res.status === 201) {
            orders++;
            latencies.push(performance.now() - t0);
          } else {
            refused++;
            const why = `${res.status} ${res.body?.code ?? ''}`.trim();
            refusals.set(why, (refusals.get(why) ?? 0) + 1);
            await call(customer.token, 'DELETE', '/v1/cart');
          }
        }),
      ),
    );
    const checkoutSeconds = (performance.now() - started) / 1000;
    for (const [kind, n] of Object.entries(await queriesSince()))
      statements.set(kind, (statements.get(kind) ?? 0) + n);
    spent.checkout += cpuMs(placed.cpu, checkoutSeconds);
    spent.checkoutApi += cpuMs({ ...placed.cpu, postgres: 0 }, checkoutSeconds);
    spent.checkoutSeconds += checkoutSeconds;
  }
  const perOrder = orders > 0 ? spent.checkout / orders : Infinity;
  const apiPerOrder = orders > 0 ? spent.checkoutApi / orders : Infinity;
  const perLine = lines > 0 ? spent.build / lines : Infinity;
  const placement = ctx.raw.placementOneApi as
    | {
        ordersPerSecond: number;
        cpuMsPerOrder: number;
        apiMsPerOrder: number;
        rawPgOrdersPerSecond: number;
      }
    | undefined;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => Math.round(latencies[Math.floor(q * (latencies.length - 1))] ?? 0);
  const rate = Math.round(orders / spent.checkoutSeconds);
  ctx.raw.checkout = {
    orders,
    refused,
    refusals: Object.fromEntries(refusals),
    lines,
    spent,
    perOrder,
    apiPerOrder,
    perLine,
    p50: p(0.5),
    p99: p(0.99),
    statementsPerCheckout: Object.fromEntries(
      [...statements].map(([kind, n]) => [
        kind,
        Math.round((n / Math.max(1, orders + refused)) * 100) / 100,
      ]),
    ),
  };
  if (counting) console.log('[bench] statements per checkout', ctx.raw.checkout);
  const ratio = placement ? perOrder / placement.cpuMsPerOrder : NaN;
  ctx.rows.push({
    scenario: 'checkout of a cart of 3-6 lines with a promotion, 100 customers at once, 1 api',
    result: `${orders} orders (${refused} refused${refused ? `: ${[...refusals].map(([why, n]) => `${n} × ${why}`).join(', ')}` : ''}), ${rate} checkouts/s while checking out, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms; ${perOrder.toFixed(2)} ms of api + PostgreSQL CPU per checkout (api ${apiPerOrder.toFixed(2)}); building the carts: ${perLine.toFixed(2)} ms per line added`,
    baseline: placement
      ? `direct placement: ${placement.ordersPerSecond} orders/s, ${placement.cpuMsPerOrder.toFixed(2)} ms CPU per order (api ${placement.apiMsPerOrder.toFixed(2)}); raw pg ${placement.rawPgOrdersPerSecond} orders/s`
      : '- (run with the placement scenario)',
    ratio: Number.isFinite(ratio) ? `${ratio.toFixed(2)}× the CPU per order` : '-',
    target: `checkout <= ${TARGET_CPU_RATIO}× a direct placement's CPU per order`,
    met: ratio <= TARGET_CPU_RATIO && refused === 0,
    cpu: null,
  });
}
