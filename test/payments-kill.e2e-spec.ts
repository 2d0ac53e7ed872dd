import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppProcess } from './harness/app-process.js';
import { startApi, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { signup, userWithRole, type TestUser } from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
import { moneyInvariantViolations } from './harness/money-invariants.js';
import { StripeStandIn } from './harness/stripe-stand-in.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

/** Payments when a process dies mid-way: the built api and worker as child processes, SIGKILLed. */
describe('payments: processes killed mid-way', () => {
  let database: IsolatedDatabase;
  let standIn: StripeStandIn;
  let env: Record<string, string>;
  let api: RunningApp;
  let http: HttpClient;
  let db: DataSource;
  let make: CatalogFactory;

  beforeAll(async () => {
    database = await isolatedDatabase();
    standIn = await StripeStandIn.start();
    env = {
      ...standIn.env(),
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_paykill`,
      PAYMENT_SWEEP_INTERVAL_MS: '300',
      REFUND_RETRY_BASE_MS: '1000',
      REFUND_RETRY_MAX_MS: '2000',
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100',
    };
    api = await startApi(env);
    http = new HttpClient(api.url);
    db = api.app.get(DataSource);
    const admin: TestUser = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
  }, 60_000);

  afterAll(async () => {
    const violations = db ? await moneyInvariantViolations(db) : [];
    await api?.close();
    await standIn?.close();
    await database?.drop();
    expect(violations).toEqual([]);
  });

  async function startedPayment() {
    const { product, address } = await make.stockedStore(10);
    const customer = await signup(http);
    const placed = await http.post(
      '/v1/orders',
      { items: [{ productId: product.id, quantity: 1 }], address, paymentMethod: 'online' },
      { token: customer.accessToken, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(placed.status).toBe(201);
    const started = await http.post(`/v1/orders/${placed.body.id}/payment`, undefined, {
      token: customer.accessToken,
    });
    expect(started.status).toBe(200);
    return {
      order: placed.body,
      customer,
      intent: standIn.intents.get(started.body.providerPaymentId)!,
    };
  }

  const count = async (sql: string, params: unknown[]): Promise<number> =>
    (await db.query(sql, params))[0].n;

  it('a worker SIGKILLed while Stripe answers a refund: the next worker confirms it, one refund', async () => {
    const { order, customer, intent } = await startedPayment();
    standIn.pay(intent.id);
    await standIn.deliver(api.url, standIn.event('payment_intent.succeeded', intent));
    const first = await AppProcess.start('worker', env);
    try {
      standIn.refundDelayMs = 3_000; // the refund is made at Stripe, the answer never arrives
      const calls = standIn.calls.length;
      await http.post(`/v1/orders/${order.id}/cancel`, {}, { token: customer.accessToken });
      await until(
        'the refund call',
        async () => standIn.calls.slice(calls).includes('POST /v1/refunds'),
        (called) => called,
      );
      first.kill('SIGKILL');
      await first.exited;
    } finally {
      first.kill('SIGKILL');
    }
    const [pending] = await db.query(`SELECT * FROM payment_refunds WHERE order_id = $1`, [
      order.id,
    ]);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    await sleep(3_000); // Stripe finished making the refund for the dead worker
    expect(standIn.refundsOf(intent.id)).toHaveLength(1);
    standIn.refundDelayMs = 0;

    const second = await AppProcess.start('worker', env);
    try {
      const [done] = await until(
        'the refund confirmed',
        () => db.query(`SELECT * FROM payment_refunds WHERE order_id = $1`, [order.id]),
        (rows: any[]) => rows[0]?.status === 'succeeded',
      );
      expect(done.attempts).toBeGreaterThanOrEqual(2);
    } finally {
      second.kill('SIGTERM');
      await second.exited;
    }
    expect(standIn.refundsOf(intent.id).map((r) => r.amount)).toEqual([order.total.amount]);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM payment_ledger WHERE order_id = $1 AND kind = 'refund'`,
        [order.id],
      ),
    ).toBe(1);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM order_events WHERE order_id = $1 AND type = 'payment.refunded'`,
        [order.id],
      ),
    ).toBe(1);
  }, 90_000);

  it('an api SIGKILLed while webhooks are in flight: the redelivery applies the rest, nothing twice', async () => {
    const paid = [];
    for (let i = 0; i < 8; i++) paid.push(await startedPayment());
    const events = paid.map(({ intent }) => {
      standIn.pay(intent.id);
      return standIn.event('payment_intent.succeeded', intent);
    });
    const doomed = await AppProcess.start('api', env);
    // Each event three times at once; the api dies a moment later, mid-way through them.
    const deliveries = events
      .flatMap((e) => [e, e, e])
      .map((e) => standIn.deliver(doomed.url, e).catch(() => ({ status: 0 })));
    await sleep(30);
    doomed.kill('SIGKILL');
    await doomed.exited;
    const answered = (await Promise.all(deliveries)).filter((d) => d.status === 200).length;
    // Stripe retries every event it got no 2xx for; here: all of them, twice, to a live api.
    for (const e of [...events, ...events])
      expect((await standIn.deliver(api.url, e)).status).toBe(200);
    for (const { order } of paid) {
      expect(
        (await db.query(`SELECT status FROM orders WHERE id = $1`, [order.id]))[0].status,
      ).toBe('PLACED');
      expect(
        await count(
          `SELECT count(*)::int AS n FROM order_events WHERE order_id = $1 AND type = 'payment.captured'`,
          [order.id],
        ),
      ).toBe(1);
      expect(
        await count(`SELECT count(*)::int AS n FROM payment_ledger WHERE order_id = $1`, [
          order.id,
        ]),
      ).toBe(1);
    }
    expect(
      await count(
        `SELECT count(*)::int AS n FROM payment_webhook_events WHERE event_id = ANY($1)`,
        [events.map((e) => e.id)],
      ),
    ).toBe(events.length);
    console.log(`webhooks answered before the kill: ${answered} of ${events.length * 3}`);
  }, 90_000);
});
