import { ADDRESS, CUSTOMERS, STORES } from '../fixtures.js';
import { measuringCpu, newKey } from '../load.js';
import { progress, type ScenarioContext } from './context.js';

/** Checkout may cost at most this × a direct placement's CPU (api + PostgreSQL) per order. */
const TARGET_CPU_RATIO = 1.5;

/**
 * Checkout as a customer's app does it: 3–6 lines added to the server-side cart (each answer is
 * the cart priced now, with an automatic promotion on every line), then checkout at the version
 * the last answer showed; 100 customers, each one order in flight, spread over the stores. The
 * comparison: the direct placement of the same run (orders/s and CPU per order) and raw pg.
 */
export async function checkout(ctx: ScenarioContext): Promise<void> {
  const { db, stores, others, customers } = ctx.data;
  const url = ctx.apiA.url;
  await db.query(
    `INSERT INTO promotions (name, kind, percent_bp) VALUES ('Bench: 5% off everything', 'percent', 500)`,
  );
  // The stores' capacity: the earlier scenarios' orders are delivered (bench data only).
  await db.query(
    `UPDATE orders SET status = 'DELIVERED', rider_id = $1 WHERE status IN ('PLACED', 'PACKED')`,
    [ctx.data.riderId],
  );
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
  // Every customer's cart is at the store that serves them (pinned, as the placement bench does).
  await Promise.all(
    customers.map((c, i) =>
      call(c.token, 'PUT', '/v1/cart/address', {
        address: ADDRESS,
        storeId: stores[i % STORES]!.id,
      }),
    ),
  );
  progress('checkout: cart of 3-6 lines with a promotion, then checkout, 1 api');
  let orders = 0;
  let refused = 0;
  const latencies: number[] = [];
  const until = performance.now() + ctx.seconds * 1000;
  const run = await measuringCpu(() =>
    Promise.all(
      customers.slice(0, CUSTOMERS).map(async (customer) => {
        while (performance.now() < until) {
          const started = performance.now();
          const lines = 3 + Math.floor(Math.random() * 4);
          let cart: any;
          for (let l = 0; l < lines; l++) {
            const product = others[Math.floor(Math.random() * others.length)]!;
            cart = (
              await call(customer.token, 'POST', '/v1/cart/lines', {
                productId: product.id,
                quantity: 1,
              })
            ).body;
          }
          const res = await call(
            customer.token,
            'POST',
            '/v1/cart/checkout',
            { version: cart.version },
            newKey(),
          );
          if (res.status === 201) {
            orders++;
            latencies.push(performance.now() - started);
          } else {
            refused++;
            await call(customer.token, 'DELETE', '/v1/cart');
          }
        }
      }),
    ),
  );
  const seconds = ctx.seconds;
  const rate = Math.round(orders / seconds);
  const cpuMs = rate > 0 ? ((run.cpu.api + run.cpu.postgres) * 10) / rate : Infinity;
  const placement = ctx.raw.placementOneApi as
    { ordersPerSecond: number; cpuMsPerOrder: number; rawPgOrdersPerSecond: number } | undefined;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => Math.round(latencies[Math.floor(q * (latencies.length - 1))] ?? 0);
  ctx.raw.checkout = { orders, refused, rate, cpuMs, p50: p(0.5), p99: p(0.99) };
  const ratio = placement ? cpuMs / placement.cpuMsPerOrder : NaN;
  ctx.rows.push({
    scenario:
      'checkout: 3-6 lines added to the cart with a promotion, then checkout, 100 customers, 1 api',
    result: `${rate} orders/s (${refused} refused), cart-to-order p50 ${p(0.5)} ms, p99 ${p(0.99)} ms; ${cpuMs.toFixed(2)} ms of api + PostgreSQL CPU per order`,
    baseline: placement
      ? `direct placement: ${placement.ordersPerSecond} orders/s, ${placement.cpuMsPerOrder.toFixed(2)} ms CPU per order; raw pg ${placement.rawPgOrdersPerSecond} orders/s (${Math.round((rate / placement.rawPgOrdersPerSecond) * 100)}% of it)`
      : '- (run with the placement scenario)',
    ratio: Number.isFinite(ratio) ? `${ratio.toFixed(2)}× the CPU per order` : '-',
    target: `<= ${TARGET_CPU_RATIO}× a direct placement's CPU per order`,
    met: ratio <= TARGET_CPU_RATIO && refused === 0,
    cpu: run.cpu,
  });
}
