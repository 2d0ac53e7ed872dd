import { startApi, startWorker, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { placeOrder, signup, userWithRole, type TestUser } from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
import { TrackingClient } from './harness/tracking-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await read();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Dispatch end to end: api and worker, the rider API, offer timeouts, capacity, short picks. */
describe('dispatch (e2e)', () => {
  let database: IsolatedDatabase;
  let api: RunningApp;
  let worker: RunningApp;
  let http: HttpClient;
  let admin: TestUser;
  let make: CatalogFactory;
  const clients: TrackingClient[] = [];

  beforeAll(async () => {
    database = await isolatedDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_dsp`,
      RIDER_OFFER_TIMEOUT_SECONDS: '5',
      DISPATCH_SWEEP_INTERVAL_MS: '60000',
    };
    [api, worker] = await Promise.all([startApi(env), startWorker(env)]);
    http = new HttpClient(api.url);
    admin = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([api.close(), worker.close()]);
    await database.drop();
  });

  const asAdmin = {
    get token() {
      return admin.accessToken;
    },
  };
  const onShift = async (storeId: string) => {
    const rider = await userWithRole(api.app, http, 'rider');
    const res = await http.put(
      '/v1/rider/shift',
      { state: 'AVAILABLE', storeId },
      { token: rider.accessToken },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ riderId: rider.id, storeId, state: 'AVAILABLE', load: 0 });
    return rider;
  };
  const offersOf = async (rider: TestUser) =>
    (await http.get('/v1/rider/offers', { token: rider.accessToken })).body as any[];
  const pack = (orderId: string) =>
    http.post(`/v1/admin/orders/${orderId}/transitions`, { to: 'PACKED' }, asAdmin);

  it('offers a packed order, moves on after the timeout, and the accepting rider takes it out', async () => {
    const { store, product, address } = await make.stockedStore(10);
    const board = await TrackingClient.connect(api.url, admin.accessToken);
    clients.push(board);
    expect(await board.emit('subscribe.store', { storeId: store.id })).toEqual({ ok: true });
    const [first, second] = [await onShift(store.id), await onShift(store.id)];
    const customer = await signup(http);
    const placed = await placeOrder(http, customer.accessToken, {
      productId: product.id,
      quantity: 2,
      address,
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.id;
    expect((await pack(orderId)).status).toBe(200);

    // Offered to one rider, who does not answer.
    const [offerA, holder] = await until('the first offer', async () => {
      for (const rider of [first, second]) {
        const [offer] = await offersOf(rider);
        if (offer) return [offer, rider] as const;
      }
      return undefined;
    });
    expect(offerA).toMatchObject({
      orderId,
      status: 'OFFERED',
      attempt: 1,
      order: { itemCount: 2 },
    });
    const other = holder === first ? second : first;
    const riders = await http.get(`/v1/admin/stores/${store.id}/riders`, asAdmin);
    expect(riders.status).toBe(200);
    expect(riders.body.map((r: any) => [r.riderId, r.state, r.openOfferId]).sort()).toEqual(
      [
        [holder.id, 'AVAILABLE', offerA.id],
        [other.id, 'AVAILABLE', null],
      ].sort(),
    );
    // The rider is told.
    await until('the rider notification', async () => {
      const res = await http.get('/v1/notifications', { token: holder.accessToken });
      return res.body.items?.find((n: any) => n.type === 'order.rider_offered') ?? undefined;
    });

    // RIDER_OFFER_TIMEOUT_SECONDS later the timeout job offers it to the other rider.
    const [offerB] = await until(
      'the next offer',
      async () => ((await offersOf(other))[0] ? offersOf(other) : undefined),
      15_000,
    );
    expect(offerB).toMatchObject({ orderId, attempt: 2 });
    const late = await http.post(
      `/v1/rider/offers/${offerA.id}/accept`,
      {},
      { token: holder.accessToken },
    );
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('OFFER_EXPIRED');
    // Someone else's offer is not found.
    expect(
      (await http.post(`/v1/rider/offers/${offerB.id}/accept`, {}, { token: holder.accessToken }))
        .status,
    ).toBe(404);

    const accepted = await http.post(
      `/v1/rider/offers/${offerB.id}/accept`,
      {},
      { token: other.accessToken },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      id: orderId,
      status: 'OUT_FOR_DELIVERY',
      riderId: other.id,
    });
    const again = await http.post(
      `/v1/rider/offers/${offerB.id}/accept`,
      {},
      { token: other.accessToken },
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('OFFER_NOT_OPEN');
    expect((await http.get('/v1/rider/shift', { token: other.accessToken })).body).toMatchObject({
      state: 'BUSY',
      load: 1,
    });

    // The ops board saw it all, in order.
    const seen = await board.eventsOf(orderId, 5);
    expect(seen.map((e) => e.type)).toEqual([
      'order.placed',
      'order.packed',
      'order.rider_offered',
      'order.rider_offered',
      'order.out_for_delivery',
    ]);
    expect(seen[3].data).toMatchObject({
      riderId: other.id,
      previous: { riderId: holder.id, outcome: 'EXPIRED' },
    });
  });

  it('keeps an order waiting with nobody on shift and offers it when a rider comes on', async () => {
    const { store, product, address } = await make.stockedStore(10);
    const customer = await signup(http);
    const placed = await placeOrder(http, customer.accessToken, {
      productId: product.id,
      quantity: 1,
      address,
    });
    await pack(placed.body.id);
    await sleep(500);
    const rider = await onShift(store.id);
    const [offer] = await until('the offer', async () =>
      (await offersOf(rider)).length ? offersOf(rider) : undefined,
    );
    expect(offer.orderId).toBe(placed.body.id);
    // Going off shift declines it; the order waits again.
    const off = await http.put(
      '/v1/rider/shift',
      { state: 'OFF_DUTY' },
      { token: rider.accessToken },
    );
    expect(off.body).toMatchObject({ state: 'OFF_DUTY', openOfferId: null });
    expect(
      (await http.post(`/v1/rider/offers/${offer.id}/accept`, {}, { token: rider.accessToken }))
        .body.code,
    ).toBe('OFFER_NOT_OPEN');
  });

  it('answers STORE_BUSY with retryAfter at capacity and reports the store busy', async () => {
    const { store, product, address } = await make.stockedStore(20);
    expect(
      (await http.patch(`/v1/admin/stores/${store.id}`, { maxOpenOrders: 2 }, asAdmin)).body,
    ).toMatchObject({ maxOpenOrders: 2 });
    const customers = await Promise.all([1, 2, 3, 4].map(() => signup(http)));
    const results = await Promise.all(
      customers.map((c) =>
        http.post(
          '/v1/orders',
          { items: [{ productId: product.id, quantity: 1 }], address, storeId: store.id },
          { token: c.accessToken, headers: { 'idempotency-key': crypto.randomUUID() } },
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409]);
    const busy = results.find((r) => r.status === 409)!;
    expect(busy.body).toMatchObject({
      code: 'STORE_BUSY',
      storeId: store.id,
      retryAfter: expect.any(Number),
    });
    const serviceable = await http.get(
      `/v1/stores/serviceable?lat=${address.lat}&lng=${address.lng}`,
    );
    expect(serviceable.body.find((s: any) => s.id === store.id)).toMatchObject({ busy: true });
  });

  it('short picks: totals, refund due, ledger, the customer notified and the event on the socket', async () => {
    const { store, product, address } = await make.stockedStore(10);
    const customer = await signup(http);
    const placed = await placeOrder(http, customer.accessToken, {
      productId: product.id,
      quantity: 5,
      address,
    });
    const orderId = placed.body.id;
    const socket = await TrackingClient.connect(api.url, customer.accessToken);
    clients.push(socket);
    await socket.emit('subscribe', { orderId, afterSeq: 0 });
    const res = await http.post(
      `/v1/admin/orders/${orderId}/lines/${product.id}/short`,
      { found: 3 },
      asAdmin,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      items: [{ productId: product.id, quantity: 3 }],
      subtotal: { amount: 13_500 },
      total: { amount: 13_500 + placed.body.deliveryFee.amount },
      refundDue: { amount: 9_000 },
    });
    const [, picked] = await socket.eventsOf(orderId, 2);
    expect(picked).toMatchObject({
      type: 'order.short_picked',
      data: { found: 3, ordered: 5, refundDueMinor: 9_000 },
    });
    const note = await until('the notification', async () => {
      const list = await http.get('/v1/notifications', { token: customer.accessToken });
      return list.body.items?.find((n: any) => n.type === 'order.short_picked') ?? undefined;
    });
    expect(note.body).toMatch(/₹90\.00/);
    const ledger = await http.get(
      `/v1/admin/stores/${store.id}/stock/${product.id}/movements`,
      asAdmin,
    );
    expect(ledger.body.items[0]).toMatchObject({
      reason: 'short_pick',
      delta: -7,
      quantityAfter: 0,
    });
    // Bad input: more than ordered, someone else's line.
    expect(
      (
        await http.post(
          `/v1/admin/orders/${orderId}/lines/${product.id}/short`,
          { found: 3 },
          asAdmin,
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await http.post(
          `/v1/admin/orders/${orderId}/lines/${crypto.randomUUID()}/short`,
          { found: 0 },
          asAdmin,
        )
      ).status,
    ).toBe(404);
    // Nothing left: cancelled, out_of_stock, everything due back.
    const gone = await http.post(
      `/v1/admin/orders/${orderId}/lines/${product.id}/short`,
      { found: 0 },
      asAdmin,
    );
    expect(gone.body).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'out_of_stock',
      refundDue: { amount: placed.body.total.amount },
    });
    // Customers cannot mark lines short.
    expect(
      (
        await http.post(
          `/v1/admin/orders/${orderId}/lines/${product.id}/short`,
          { found: 0 },
          { token: customer.accessToken },
        )
      ).status,
    ).toBe(403);
  });
});
