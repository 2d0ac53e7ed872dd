import { createFlashCartClient } from '@flashcart/client';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startApi, startWorker, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { signup, userWithRole, type TestUser } from './harness/factories.js';
import { expectErrorShape, HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
import { moneyInvariantViolations } from './harness/money-invariants.js';
import { StripeStandIn, type StandInIntent } from './harness/stripe-stand-in.js';
import { sendOut } from './harness/rider-shift.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 20_000,
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

/** Payments end to end: the real api (two instances) and worker, Stripe stood in for locally. */
describe('payments and refunds', () => {
  let database: IsolatedDatabase;
  let standIn: StripeStandIn;
  let env: Record<string, string>;
  let api: RunningApp;
  let api2: RunningApp;
  let worker: RunningApp;
  let http: HttpClient;
  let db: DataSource;
  let admin: TestUser;
  let make: CatalogFactory;

  beforeAll(async () => {
    // Own database and queues: the worker's sweepers scan whole tables with short timeouts.
    database = await isolatedDatabase();
    standIn = await StripeStandIn.start();
    env = {
      ...standIn.env(),
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_pay`,
      PAYMENT_TIMEOUT_SECONDS: '10',
      PAYMENT_SWEEP_INTERVAL_MS: '300',
      ORDER_SWEEP_INTERVAL_MS: '1000',
      REFUND_RETRY_BASE_MS: '200',
      REFUND_RETRY_MAX_MS: '800',
      REFUND_ALERT_AFTER_ATTEMPTS: '3',
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100',
    };
    [api, api2] = await Promise.all([startApi(env), startApi(env)]);
    worker = await startWorker(env);
    http = new HttpClient(api.url);
    db = api.app.get(DataSource);
    admin = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
  }, 60_000);

  afterAll(async () => {
    // The money invariant on this suite's own database (the shared one is checked by the harness).
    const violations = db ? await moneyInvariantViolations(db) : [];
    await Promise.all([worker?.close(), api?.close(), api2?.close()]);
    await standIn?.close();
    await database?.drop();
    expect(violations).toEqual([]);
  });

  const asAdmin = () => ({ token: admin.accessToken });

  async function placeOnline(quantity = 2, stock = 10) {
    const { store, product, address } = await make.stockedStore(stock);
    const customer = await signup(http);
    const res = await http.post(
      '/v1/orders',
      { items: [{ productId: product.id, quantity }], address, paymentMethod: 'online' },
      { token: customer.accessToken, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(res.status).toBe(201);
    return { order: res.body, store, product, address, customer };
  }

  async function startPayment(orderId: string, customer: TestUser) {
    const res = await http.post(`/v1/orders/${orderId}/payment`, undefined, {
      token: customer.accessToken,
    });
    expect(res.status).toBe(200);
    return { payment: res.body, intent: standIn.intents.get(res.body.providerPaymentId)! };
  }

  async function paidOrder(quantity = 2) {
    const placed = await placeOnline(quantity);
    const { intent } = await startPayment(placed.order.id, placed.customer);
    standIn.pay(intent.id);
    const res = await standIn.deliver(api.url, standIn.event('payment_intent.succeeded', intent));
    expect(res.status).toBe(200);
    expect(await statusOf(placed.order.id)).toBe('PLACED');
    return { ...placed, intent };
  }

  const statusOf = async (orderId: string): Promise<string> =>
    (await db.query(`SELECT status FROM orders WHERE id = $1`, [orderId]))[0].status;
  const stockOf = async (storeId: string, productId: string): Promise<number> =>
    (
      await db.query(`SELECT quantity FROM store_stock WHERE store_id = $1 AND product_id = $2`, [
        storeId,
        productId,
      ])
    )[0].quantity;
  const eventsOf = async (orderId: string, type: string): Promise<any[]> =>
    db.query(`SELECT * FROM order_events WHERE order_id = $1 AND type = $2 ORDER BY seq`, [
      orderId,
      type,
    ]);
  const ledgerOf = async (orderId: string): Promise<{ kind: string; amount_minor: number }[]> =>
    db.query(`SELECT kind, amount_minor FROM payment_ledger WHERE order_id = $1 ORDER BY id`, [
      orderId,
    ]);
  const refundsOf = async (orderId: string): Promise<any[]> =>
    db.query(`SELECT * FROM payment_refunds WHERE order_id = $1 ORDER BY created_at`, [orderId]);
  const storedEvents = async (): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM payment_webhook_events`))[0].n;

  it('pays and delivers an online order: held unpaid, placed by the captured webhook', async () => {
    const { order, store, product, customer } = await placeOnline(3);
    expect(order).toMatchObject({ status: 'AWAITING_PAYMENT', paymentMethod: 'online' });
    expect(await stockOf(store.id, product.id)).toBe(7); // reserved
    // Not packable while unpaid.
    const pack = await http.post(
      `/v1/admin/orders/${order.id}/transitions`,
      { to: 'PACKED' },
      asAdmin(),
    );
    expect(pack.status).toBe(409);
    expect(pack.body).toMatchObject({
      code: 'INVALID_TRANSITION',
      currentStatus: 'AWAITING_PAYMENT',
    });

    // The payment, lazily and idempotently: asked three times at once, one intent, one secret.
    const starts = await Promise.all(
      [api.url, api2.url, api.url].map((url) =>
        new HttpClient(url).post(`/v1/orders/${order.id}/payment`, undefined, {
          token: customer.accessToken,
        }),
      ),
    );
    expect(starts.map((s) => s.status)).toEqual([200, 200, 200]);
    const secrets = new Set(starts.map((s) => s.body.clientSecret));
    expect(secrets.size).toBe(1);
    expect([...secrets][0]).toMatch(/^pi_\w+_secret_/);
    expect(starts[0]!.body).toMatchObject({
      method: 'online',
      status: 'pending',
      provider: 'stripe',
      amount: order.total,
    });
    const intent = standIn.intentOf(order.id)!;
    expect(
      [...standIn.intents.values()].filter((i) => i.metadata.orderId === order.id),
    ).toHaveLength(1);
    expect(intent).toMatchObject({ amount: order.total.amount, currency: 'inr' });
    expect(await eventsOf(order.id, 'payment.pending')).toHaveLength(1);

    standIn.pay(intent.id);
    const hook = await standIn.deliver(api2.url, standIn.event('payment_intent.succeeded', intent));
    expect(hook).toMatchObject({ status: 200, body: { received: true, duplicate: false } });
    expect(await statusOf(order.id)).toBe('PLACED');
    const [captured] = await eventsOf(order.id, 'payment.captured');
    expect(captured).toMatchObject({ from_status: 'AWAITING_PAYMENT', to_status: 'PLACED' });
    expect(await ledgerOf(order.id)).toEqual([
      { kind: 'capture', amount_minor: order.total.amount },
    ]);
    // The secret is no longer handed out once paid.
    const view = await http.get(`/v1/orders/${order.id}/payment`, { token: customer.accessToken });
    expect(view.body).toMatchObject({
      status: 'captured',
      clientSecret: null,
      captured: order.total,
    });

    // Then as any order: packed, out, delivered.
    const rider = await userWithRole(api.app, http, 'rider');
    expect(
      (await http.post(`/v1/admin/orders/${order.id}/transitions`, { to: 'PACKED' }, asAdmin()))
        .status,
    ).toBe(200);
    expect((await sendOut(http, admin, rider, order.id)).status).toBe(200);
    const delivered = await http.post(
      `/v1/rider/orders/${order.id}/transitions`,
      { to: 'DELIVERED' },
      { token: rider.accessToken },
    );
    expect(delivered.body.status).toBe('DELIVERED');
    const adminView = await http.get(`/v1/admin/orders/${order.id}/payments`, asAdmin());
    expect(adminView.body).toMatchObject({
      status: 'captured',
      refunded: { amount: 0 },
      ledger: [{ kind: 'capture', amount: order.total }],
    });
  });

  it('refuses a bad, foreign or replayed-old signature with 400 and writes nothing', async () => {
    const { order, customer } = await placeOnline();
    const { intent } = await startPayment(order.id, customer);
    // Not paid at the stand-in: the reconciliation must not capture it behind this test's back.
    const event = standIn.event('payment_intent.succeeded', intent);
    const before = await storedEvents();
    const payload = JSON.stringify(event);
    for (const signature of [
      '',
      't=1,v1=deadbeef',
      standIn.sign(payload, { secret: 'whsec_someone_else_0123456789' }),
      // Signed right, but 10 minutes ago (a replay): older than the 300 s tolerance.
      standIn.sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
      // Signed right over other bytes.
      standIn.sign(payload.replace('"livemode":false', '"livemode":true')),
    ]) {
      const res = await standIn.deliver(api.url, event, { signature });
      expect(res.status).toBe(400);
      expectErrorShape(res, 400);
      expect(res.body.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect(await storedEvents()).toBe(before);
    expect(await statusOf(order.id)).toBe('AWAITING_PAYMENT');
    expect(await ledgerOf(order.id)).toEqual([]);
  });

  it('applies a signed event carrying text PostgreSQL refuses (NUL, a lone surrogate), and refuses a signed non-event with 400', async () => {
    const { order, customer } = await placeOnline();
    const { intent } = await startPayment(order.id, customer);
    standIn.pay(intent.id);
    const event = standIn.event('payment_intent.succeeded', intent, {
      data: {
        object: {
          ...intent,
          status: 'succeeded',
          amount_received: intent.amount,
          shipping: { name: 'Bob\u0000 \ud800' },
        },
      },
    });
    const res = await standIn.deliver(api.url, event);
    expect(res.status).toBe(200);
    expect(await statusOf(order.id)).toBe('PLACED');
    const [stored] = await db.query(
      `SELECT payload FROM payment_webhook_events WHERE event_id = $1`,
      [event.id],
    );
    expect(stored.payload.data.object.shipping.name).toBe('Bob\ufffd \ufffd');

    const before = await storedEvents();
    for (const body of [[1, 2], { type: 'payment_intent.succeeded' }, { id: '', type: 'x' }]) {
      const payload = JSON.stringify(body);
      const refused = await standIn.deliver(api.url, body, { signature: standIn.sign(payload) });
      expect(refused.status).toBe(400);
      expectErrorShape(refused, 400);
      expect(refused.body.code).toBe('WEBHOOK_EVENT_INVALID');
    }
    expect(await storedEvents()).toBe(before);
  });

  it('applies the same event delivered 10 times at once, across two api instances, once', async () => {
    const { order, customer } = await placeOnline();
    const { intent } = await startPayment(order.id, customer);
    standIn.pay(intent.id);
    const event = standIn.event('payment_intent.succeeded', intent);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => standIn.deliver(i % 2 ? api.url : api2.url, event)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => !a.body.duplicate)).toHaveLength(1);
    expect(await statusOf(order.id)).toBe('PLACED');
    expect(await eventsOf(order.id, 'payment.captured')).toHaveLength(1);
    expect(await ledgerOf(order.id)).toHaveLength(1);
  });

  it('ends in the same state whatever the order and repetition of the provider’s events (property)', async () => {
    const TYPES = [
      'payment_intent.created',
      'payment_intent.processing',
      'payment_intent.payment_failed',
      'payment_intent.succeeded',
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        // Event slots (types; each slot is one provider event), then a delivery sequence that
        // picks slots (so duplicates), delivered in concurrent waves to either api.
        fc.array(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        async (slots, picks, onFirstApi) => {
          const { order, customer } = await placeOnline(1, 50);
          const { intent } = await startPayment(order.id, customer);
          const succeeded = slots.includes('payment_intent.succeeded');
          const events = slots.map((type) => standIn.event(type, intent as StandInIntent));
          const sequence = picks.map((p) => events[p % events.length]!);
          // Every slot delivered at least once, as the provider does (retrying until 2xx).
          sequence.push(...events);
          for (let i = 0; i < sequence.length; i += 4)
            await Promise.all(
              sequence
                .slice(i, i + 4)
                .map((e, j) => standIn.deliver(onFirstApi[(i + j) % 12] ? api.url : api2.url, e)),
            );
          const status = await statusOf(order.id);
          const captures = await eventsOf(order.id, 'payment.captured');
          const failures = await eventsOf(order.id, 'payment.failed');
          const distinctFailed = new Set(
            events.filter((e) => e.type === 'payment_intent.payment_failed').map((e) => e.id),
          ).size;
          expect(status).toBe(succeeded ? 'PLACED' : 'AWAITING_PAYMENT');
          expect(captures).toHaveLength(succeeded ? 1 : 0);
          expect(await ledgerOf(order.id)).toEqual(
            succeeded ? [{ kind: 'capture', amount_minor: order.total.amount }] : [],
          );
          expect(failures.length).toBeLessThanOrEqual(distinctFailed);
          const [payment] = await db.query(`SELECT status FROM payments WHERE order_id = $1`, [
            order.id,
          ]);
          if (succeeded) expect(payment.status).toBe('captured');
          else expect(payment.status).toBe(distinctFailed > 0 ? 'failed' : 'pending');
          expect(await moneyInvariantViolations(db)).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it('cancels an unpaid order once at its timeout, returning its stock; a payment after it is refunded in full', async () => {
    const unpaid = await placeOnline(4);
    const late = await placeOnline(2);
    const { intent } = await startPayment(late.order.id, late.customer);
    expect(await stockOf(unpaid.store.id, unpaid.product.id)).toBe(6);
    for (const { order } of [unpaid, late])
      await until(
        'the payment timeout',
        () => statusOf(order.id),
        (s) => s === 'CANCELLED',
        25_000,
      );
    expect(await stockOf(unpaid.store.id, unpaid.product.id)).toBe(10);
    const [cancelled, ...more] = await eventsOf(unpaid.order.id, 'order.cancelled');
    expect(more).toEqual([]);
    expect(cancelled).toMatchObject({ reason: 'payment_timeout', from_status: 'AWAITING_PAYMENT' });
    // Once cancelled, no payment is started for it.
    const refused = await http.post(`/v1/orders/${unpaid.order.id}/payment`, undefined, {
      token: unpaid.customer.accessToken,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'PAYMENT_NOT_OPEN', currentStatus: 'CANCELLED' });

    // The customer paid anyway (the provider's checkout was open): the money goes back.
    standIn.pay(intent.id);
    const hook = await standIn.deliver(api.url, standIn.event('payment_intent.succeeded', intent));
    expect(hook.status).toBe(200);
    expect(await statusOf(late.order.id)).toBe('CANCELLED');
    const [refund] = await until(
      'the refund',
      () => refundsOf(late.order.id),
      (r) => r[0]?.status === 'succeeded',
    );
    expect(refund).toMatchObject({
      amount_minor: late.order.total.amount,
      reason: 'paid_after_cancel',
    });
    expect(standIn.refundsOf(intent.id).map((r) => r.amount)).toEqual([late.order.total.amount]);
    expect(await ledgerOf(late.order.id)).toEqual([
      { kind: 'capture', amount_minor: late.order.total.amount },
      { kind: 'refund', amount_minor: late.order.total.amount },
    ]);
    expect(await eventsOf(late.order.id, 'payment.refunded')).toHaveLength(1);
  }, 60_000);

  it('refunds a paid order cancelled by its customer, in full, once', async () => {
    const { order, customer, intent } = await paidOrder();
    const res = await http.post(
      `/v1/orders/${order.id}/cancel`,
      {},
      { token: customer.accessToken },
    );
    expect(res.body.status).toBe('CANCELLED');
    await until(
      'the refund',
      () => refundsOf(order.id),
      (r) => r[0]?.status === 'succeeded',
    );
    expect(await refundsOf(order.id)).toHaveLength(1);
    expect(standIn.refundsOf(intent.id).map((r) => r.amount)).toEqual([order.total.amount]);
    const view = await http.get(`/v1/orders/${order.id}/payment`, { token: customer.accessToken });
    expect(view.body).toMatchObject({ refunded: order.total, refundPending: { amount: 0 } });
    expect(view.body.refunds).toMatchObject([{ status: 'succeeded', reason: 'order_cancelled' }]);
  });

  it('refunds a short pick by what it took off the total', async () => {
    const { order, product, intent } = await paidOrder(3);
    const res = await http.post(
      `/v1/admin/orders/${order.id}/lines/${product.id}/short`,
      { found: 1 },
      asAdmin(),
    );
    expect(res.status).toBe(200);
    const due = order.total.amount - res.body.total.amount;
    expect(due).toBeGreaterThan(0);
    expect(res.body.refundDue.amount).toBe(due);
    await until(
      'the refund',
      () => refundsOf(order.id),
      (r) => r[0]?.status === 'succeeded',
    );
    expect((await refundsOf(order.id)).map((r) => [r.amount_minor, r.reason])).toEqual([
      [due, 'short_pick'],
    ]);
    expect(standIn.refundsOf(intent.id).map((r) => r.amount)).toEqual([due]);
    expect(await statusOf(order.id)).toBe('PLACED');
    // Then cancelled by the store: the rest, never more than was captured.
    const cancel = await http.post(
      `/v1/admin/orders/${order.id}/transitions`,
      { to: 'CANCELLED', reason: 'cancelled_by_store' },
      asAdmin(),
    );
    expect(cancel.status).toBe(200);
    await until(
      'the second refund',
      () => refundsOf(order.id),
      (r) => r.length === 2 && r.every((x) => x.status === 'succeeded'),
    );
    expect(standIn.refundsOf(intent.id).map((r) => r.amount)).toEqual([
      due,
      order.total.amount - due,
    ]);
    const [payment] = await db.query(
      `SELECT captured_minor, refunded_minor FROM payments WHERE order_id = $1`,
      [order.id],
    );
    expect(payment).toEqual({
      captured_minor: order.total.amount,
      refunded_minor: order.total.amount,
    });
  });

  it('retries a refund through a provider outage until confirmed: one refund, and an alert', async () => {
    const { order, customer, intent } = await paidOrder();
    standIn.failUntil = Date.now() + 4_000;
    const res = await http.post(
      `/v1/orders/${order.id}/cancel`,
      {},
      { token: customer.accessToken },
    );
    expect(res.status).toBe(200);
    const failing = await until(
      'failed attempts',
      () => refundsOf(order.id),
      (r) => r[0]?.attempts >= 3,
    );
    expect(failing[0]).toMatchObject({ status: 'pending' });
    expect(failing[0].last_error).toBeTruthy();
    const alerts = await until(
      'the admins’ alert',
      () =>
        db.query(`SELECT user_id FROM notifications WHERE dedupe_key = $1`, [
          `refund-failing:${failing[0].id}`,
        ]),
      (rows: any[]) => rows.some((r) => r.user_id === admin.id),
    );
    expect(alerts.filter((r: any) => r.user_id === admin.id)).toHaveLength(1);
    const [done] = await until(
      'the refund after the outage',
      () => refundsOf(order.id),
      (r) => r[0]?.status === 'succeeded',
    );
    expect(done.attempts).toBeGreaterThan(3);
    expect(standIn.refundsOf(intent.id).map((r) => r.amount)).toEqual([order.total.amount]);
    expect(await eventsOf(order.id, 'payment.refunded')).toHaveLength(1);
  }, 40_000);

  it('records the cash a rider collects for a cash-on-delivery order, with its shortfall', async () => {
    const { store, product, address } = await make.stockedStore(10);
    const customer = await signup(http);
    const placed = await http.post(
      '/v1/orders',
      { items: [{ productId: product.id, quantity: 2 }], address },
      { token: customer.accessToken, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(placed.body).toMatchObject({ status: 'PLACED', paymentMethod: 'cod' });
    const order = placed.body;
    expect(store.id).toBe(order.storeId);
    const noPayment = await http.post(`/v1/orders/${order.id}/payment`, undefined, {
      token: customer.accessToken,
    });
    expect(noPayment.body.code).toBe('PAYMENT_NOT_ONLINE');
    const rider = await userWithRole(api.app, http, 'rider');
    const asRider = { token: rider.accessToken };
    const early = await http.post(
      `/v1/rider/orders/${order.id}/cash`,
      { collectedMinor: 1 },
      asRider,
    );
    expect(early.status).toBe(404); // not their order yet
    await http.post(`/v1/admin/orders/${order.id}/transitions`, { to: 'PACKED' }, asAdmin());
    await sendOut(http, admin, rider, order.id);
    const short = order.total.amount - 100;
    const collected = await Promise.all(
      [1, 2, 3].map(() =>
        http.post(`/v1/rider/orders/${order.id}/cash`, { collectedMinor: short }, asRider),
      ),
    );
    expect(collected.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(collected[0]!.body).toMatchObject({
      method: 'cod',
      status: 'cash_collected',
      cash: { due: order.total, collected: { amount: short }, shortfall: { amount: 100 } },
    });
    const other = await http.post(
      `/v1/rider/orders/${order.id}/cash`,
      { collectedMinor: 5 },
      asRider,
    );
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('CASH_NOT_COLLECTABLE');
    expect(await ledgerOf(order.id)).toEqual([{ kind: 'cod_collection', amount_minor: short }]);
    expect(await eventsOf(order.id, 'payment.cod_collected')).toHaveLength(1);
    const seen = await http.get(`/v1/admin/orders/${order.id}/payments`, asAdmin());
    expect(seen.body.cash.shortfall.amount).toBe(100);
  });

  it('lets the client pay and follow the payment (placeOrder, payForOrder, followPayment)', async () => {
    const { product, address } = await make.stockedStore(10);
    const customer = await signup(http);
    const client = createFlashCartClient({ baseUrl: api2.url });
    await client.login(customer.email, customer.password);
    const order = await client.placeOrder({
      items: [{ productId: product.id, quantity: 1 }],
      address,
      paymentMethod: 'online',
    });
    expect(order.status).toBe('AWAITING_PAYMENT');
    const payment = await client.payForOrder(order.id);
    expect(payment.clientSecret).toMatch(/_secret_/);
    expect((await client.payForOrder(order.id)).clientSecret).toBe(payment.clientSecret);
    const following = client.followPayment(order.id, { intervalMs: 100, timeoutMs: 10_000 });
    const intent = standIn.pay(payment.providerPaymentId!);
    await standIn.deliver(api.url, standIn.event('payment_intent.succeeded', intent));
    const followed = await following;
    expect(followed.payment.status).toBe('captured');
    expect(followed.order.status).toBe('PLACED');
  });

  it('reconciles a capture whose webhook never came', async () => {
    const { order, customer } = await placeOnline();
    const { intent } = await startPayment(order.id, customer);
    standIn.pay(intent.id); // and no webhook
    await until(
      'the reconciliation',
      () => statusOf(order.id),
      (s) => s === 'PLACED',
    );
    expect(await eventsOf(order.id, 'payment.captured')).toHaveLength(1);
    expect(await ledgerOf(order.id)).toEqual([
      { kind: 'capture', amount_minor: order.total.amount },
    ]);
    // The webhook arriving after all changes nothing.
    await standIn.deliver(api.url, standIn.event('payment_intent.succeeded', intent));
    expect(await eventsOf(order.id, 'payment.captured')).toHaveLength(1);
  });
});
