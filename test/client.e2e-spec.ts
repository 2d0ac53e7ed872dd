import {
  ApiError,
  createFlashCartClient,
  MemoryTokenStore,
  SessionExpiredError,
  unwrap,
  type OrderEventMessage,
} from '@flashcart/client';
import { readFileSync } from 'node:fs';
import { orderFlow } from '../clients/typescript/examples/order-flow.js';
import { startApi, startWorker, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { signup, uniqueEmail, userWithRole, type TestUser } from './harness/factories.js';
import { documentedFetch, HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
import { claimsOf } from './harness/jwt.js';
import { sendOut } from './harness/rider-shift.js';

const ACCESS_TTL_SECONDS = 30; // the configuration's minimum: the flow outlives one token
const GRACE_SECONDS = 1;

async function until<T>(
  read: () => T,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** @flashcart/client (clients/typescript) against the real api and worker, REST and tracking. */
describe('@flashcart/client against the real apps', () => {
  let database: IsolatedDatabase;
  let api: RunningApp;
  let worker: RunningApp;
  let admin: TestUser;
  let make: CatalogFactory;
  const requests: string[] = [];
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    database = await isolatedDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_client`,
      JWT_ACCESS_TTL: String(ACCESS_TTL_SECONDS),
      REFRESH_GRACE_SECONDS: String(GRACE_SECONDS),
      TRACKING_AUTH_RECHECK_MS: '300',
    };
    [api, worker] = await Promise.all([startApi(env), startWorker(env)]);
  });
  beforeEach(async () => {
    // Access tokens live 30 s here: each test signs its admin in afresh.
    const http = new HttpClient(api.url);
    admin = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
  });
  afterEach(() => closers.splice(0).forEach((close) => close()));
  afterAll(async () => {
    await Promise.all([api.close(), worker.close()]);
    await database.drop();
  });

  const client = (
    options: { fetch?: (r: Request) => Promise<Response>; store?: MemoryTokenStore } = {},
  ) =>
    createFlashCartClient({
      baseUrl: api.url,
      fetch: options.fetch ?? documentedFetch(requests),
      tokenStore: options.store,
    });

  it("runs the README's example: browse, place an order, watch it live", async () => {
    const readme = readFileSync('clients/typescript/README.md', 'utf8');
    const source = readFileSync('clients/typescript/examples/order-flow.ts', 'utf8');
    const example = source.split('// example:start\n')[1].split('  // example:end')[0];
    const dedented = example.replace(/^ {2}/gm, '');
    expect(readme).toContain(dedented);
    expect(dedented.split('\n').filter(Boolean).length).toBeLessThanOrEqual(20);

    const { store } = await make.stockedStore(5);
    const events: OrderEventMessage[] = [];
    const { order, tracking } = await orderFlow({
      baseUrl: api.url,
      email: uniqueEmail('readme'),
      password: 'a long enough passphrase',
      here: { lat: store.latitude, lng: store.longitude },
      log: (event) => events.push(event),
    });
    closers.push(() => tracking.close());
    expect(order.status).toBe('PLACED');
    await until(
      () => events.length,
      (n) => n >= 1,
    );
    expect(events).toEqual([
      expect.objectContaining({
        orderId: order.id,
        seq: 1,
        type: 'order.placed',
        status: 'PLACED',
      }),
    ]);
  });

  it('lives a whole order: signup, browse, place with a retried key, watch through a reconnect and a token refresh, cancel', async () => {
    const { store, product, address } = await make.stockedStore(5);
    const staff = client();
    await staff.login(admin.email, admin.password);

    // signup and browse
    const sent: string[] = [];
    let dropNextPlacement = true;
    const flaky = documentedFetch(sent);
    const store1 = new MemoryTokenStore();
    const customer = client({
      store: store1,
      fetch: async (request) => {
        const response = await flaky(request);
        // The server placed the order, but the answer is lost on the way back.
        if (
          dropNextPlacement &&
          request.method === 'POST' &&
          new URL(request.url).pathname === '/v1/orders'
        ) {
          dropNextPlacement = false;
          throw new TypeError('fetch failed: socket hang up');
        }
        return response;
      },
    });
    const me = await customer.signup({
      email: uniqueEmail('client'),
      password: 'a long enough passphrase',
      name: 'Asha',
    });
    expect(me.role).toBe('customer');
    const page = await unwrap(
      customer.rest.GET('/v1/products', {
        params: { query: { storeId: store.id, inStock: true } },
      }),
    );
    expect(page.items.map((p) => p.id)).toContain(product.id);

    // place: the first answer is lost; the retry with the same key gets the same order
    const order = await customer.placeOrder({
      items: [{ productId: product.id, quantity: 2 }],
      address,
    });
    const placements = sent.filter((r) => r === 'POST /v1/orders');
    expect(placements).toHaveLength(2);
    const mine = await unwrap(customer.rest.GET('/v1/orders', { params: { query: {} } }));
    expect(mine.items.map((o) => o.id)).toEqual([order.id]);

    // watch live from the start of the timeline
    const tracking = customer.tracking({
      socket: { reconnectionDelay: 200, reconnectionDelayMax: 500 },
    });
    closers.push(() => tracking.close());
    const events: OrderEventMessage[] = [];
    let reconnects = 0;
    tracking.on('order.event', (event) => events.push(event));
    tracking.on('reconnect', () => reconnects++);
    await tracking.connect();
    const ack = await tracking.subscribe(order.id, { afterSeq: 0 });
    expect(ack).toEqual({ ok: true, order: { id: order.id, status: 'PLACED', seq: 1 } });
    await until(
      () => events.length,
      (n) => n >= 1,
    );

    // the connection drops; the order is packed meanwhile; the client resumes after seq 1
    tracking.socket.io.engine.close();
    await until(
      () => tracking.connected,
      (c) => !c,
    );
    await unwrap(
      staff.rest.POST('/v1/admin/orders/{id}/transitions', {
        params: { path: { id: order.id } },
        body: { to: 'PACKED' },
      }),
    );
    await until(
      () => events.length,
      (n) => n >= 2,
    );
    expect(reconnects).toBe(1);
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'order.placed'],
      [2, 'order.packed'],
    ]);

    // the access token expires: the server ends the socket, the client refreshes once and resumes
    const spent = store1.get()!;
    const expiresAt = claimsOf(spent.accessToken).exp * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 1_000));
    await until(
      () => reconnects,
      (n) => n >= 2,
    );
    expect(reconnects).toBe(2);
    expect(sent.filter((r) => r === 'POST /v1/auth/refresh')).toHaveLength(1);
    const fresh = store1.get()!;
    expect(fresh.refreshToken).not.toBe(spent.refreshToken);

    // REST calls holding the expired token: one refresh for all of them, each retried once
    store1.set({ accessToken: spent.accessToken, refreshToken: fresh.refreshToken });
    const [again, list, self] = await Promise.all([
      unwrap(customer.rest.GET('/v1/orders/{id}', { params: { path: { id: order.id } } })),
      unwrap(customer.rest.GET('/v1/orders', { params: { query: {} } })),
      unwrap(customer.rest.GET('/v1/auth/me')),
    ]);
    expect([again.id, list.items.length, self.id]).toEqual([order.id, 1, me.id]);
    expect(sent.filter((r) => r === 'POST /v1/auth/refresh')).toHaveLength(2);

    // cancel: seen live, the timeline complete, in order, no duplicate
    const cancelled = await unwrap(
      customer.rest.POST('/v1/orders/{id}/cancel', {
        params: { path: { id: order.id } },
        body: { reason: 'changed my mind' },
      }),
    );
    expect(cancelled.status).toBe('CANCELLED');
    await until(
      () => events.length,
      (n) => n >= 3,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(events.map((e) => [e.seq, e.type, e.status])).toEqual([
      [1, 'order.placed', 'PLACED'],
      [2, 'order.packed', 'PACKED'],
      [3, 'order.cancelled', 'CANCELLED'],
    ]);
    expect(tracking.lastSeq(order.id)).toBe(3);

    // a spent refresh token presented after the grace window: reuse detected, session revoked
    await new Promise((r) => setTimeout(r, GRACE_SECONDS * 1000 + 500));
    const expired: SessionExpiredError[] = [];
    tracking.on('sessionExpired', (e) => expired.push(e));
    const thief = client();
    await thief.session.store.set({
      accessToken: spent.accessToken,
      refreshToken: spent.refreshToken,
    });
    const stolen = await unwrap(thief.rest.GET('/v1/auth/me')).catch((e: unknown) => e);
    expect(stolen).toBeInstanceOf(SessionExpiredError);
    expect(stolen).toMatchObject({ reason: 'REFRESH_TOKEN_REUSED' });
    expect(await thief.isSignedIn()).toBe(false);
    // the rightful client's session went with it: its next call and its socket end cleanly
    const after = await unwrap(customer.rest.GET('/v1/auth/me')).catch((e: unknown) => e);
    expect(after).toBeInstanceOf(SessionExpiredError);
    expect(await customer.isSignedIn()).toBe(false);
    await until(
      () => expired.length,
      (n) => n >= 1,
    );
    expect(expired[0]).toBeInstanceOf(SessionExpiredError);
    expect(tracking.connected).toBe(false);
  }, 90_000);

  it('answers errors as typed ApiErrors: INSUFFICIENT_STOCK carries the short items', async () => {
    const { product, address } = await make.stockedStore(1);
    const customer = client();
    await customer.signup({
      email: uniqueEmail('short'),
      password: 'a long enough passphrase',
      name: 'B',
    });
    const error = await customer
      .placeOrder({ items: [{ productId: product.id, quantity: 3 }], address })
      .catch((e: unknown) => e);
    expect(ApiError.is(error, 'INSUFFICIENT_STOCK')).toBe(true);
    if (!ApiError.is(error, 'INSUFFICIENT_STOCK')) return;
    expect(error.status).toBe(409);
    expect(error.body.items).toEqual([{ productId: product.id, requested: 3, available: 1 }]);
  });

  it('keeps an address book, rates a delivered order, exports and deletes the account', async () => {
    const { store, product, address } = await make.stockedStore(10);
    const http = new HttpClient(api.url);
    const rider = await userWithRole(api.app, http, 'rider');
    const customer = client();
    const password = 'a long enough passphrase';
    await customer.signup({ email: uniqueEmail('acct'), password, name: 'Acct' });
    const home = await customer.saveAddress({ label: 'Home', ...address, instructions: 'Gate 2' });
    expect(home).toMatchObject({ isDefault: true, servedBy: { id: store.id } });
    const work = await customer.saveAddress({ label: 'Work', ...address });
    expect((await customer.updateAddress(work.id, { isDefault: true })).isDefault).toBe(true);
    expect((await customer.addresses()).map((a) => a.id)).toEqual([work.id, home.id]);
    await customer.deleteAddress(work.id);
    const cart = await customer.setCartSavedAddress(home.id);
    expect(cart.address).toMatchObject({ instructions: 'Gate 2' });

    const order = await customer.placeOrder({
      items: [{ productId: product.id, quantity: 1 }],
      addressId: home.id,
    });
    const early = await customer.rateOrder(order.id, { orderScore: 5 }).catch((e: unknown) => e);
    expect(ApiError.is(early, 'ORDER_NOT_DELIVERED')).toBe(true);
    if (ApiError.is(early, 'ORDER_NOT_DELIVERED')) expect(early.body.currentStatus).toBe('PLACED');
    await http.post(
      `/v1/admin/orders/${order.id}/transitions`,
      { to: 'PACKED' },
      { token: admin.accessToken },
    );
    await sendOut(http, admin, rider, order.id);
    await http.post(
      `/v1/rider/orders/${order.id}/transitions`,
      { to: 'DELIVERED' },
      { token: rider.accessToken },
    );
    expect(await customer.rateOrder(order.id, { orderScore: 4, riderScore: 5 })).toMatchObject({
      orderScore: 4,
      riderScore: 5,
    });

    const data = await customer.exportMyData();
    expect(data.orders.map((o) => o.id)).toEqual([order.id]);
    expect(data.ratings).toHaveLength(1);
    const wrong = await customer.deleteAccount('not it').catch((e: unknown) => e);
    expect(ApiError.is(wrong, 'PASSWORD_INCORRECT')).toBe(true);
    await customer.deleteAccount(password);
    expect(await customer.isSignedIn()).toBe(false);
  });

  it("refuses to subscribe to somebody else's order (NOT_FOUND in the ack)", async () => {
    const { product, address } = await make.stockedStore(2);
    const owner = client();
    await owner.signup({
      email: uniqueEmail('owner'),
      password: 'a long enough passphrase',
      name: 'O',
    });
    const order = await owner.placeOrder({
      items: [{ productId: product.id, quantity: 1 }],
      address,
    });
    const other = client();
    const stranger = await signup(new HttpClient(api.url));
    await other.login(stranger.email, stranger.password);
    const tracking = other.tracking();
    closers.push(() => tracking.close());
    await tracking.connect();
    expect(await tracking.subscribe(order.id)).toEqual({ ok: false, error: 'NOT_FOUND' });
  });
});
