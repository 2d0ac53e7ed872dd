import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startApi, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { signup, uniqueEmail, userWithRole, type TestUser } from './harness/factories.js';
import { expectErrorShape, HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';

/**
 * The staff side of an order (the ops console's order page and floor search): the detail with
 * the customer's contact, internal notes, search, cancel reasons and sending out by hand, each
 * refused to users without the role and to hostile input (4xx, never 5xx).
 */
describe('staff orders API', () => {
  let database: IsolatedDatabase;
  let api: RunningApp;
  let http: HttpClient;
  let admin: TestUser;
  let make: CatalogFactory;

  beforeAll(async () => {
    database = await isolatedDatabase();
    api = await startApi({
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_staff_orders`,
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100',
    });
    http = new HttpClient(api.url);
    admin = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const asAdmin = { token: '' };
  beforeAll(() => (asAdmin.token = admin.accessToken));

  /** A customer with a phone number, signed up through the API. */
  async function customerWithPhone(): Promise<TestUser & { phone: string }> {
    const phone = `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    const email = uniqueEmail('phone');
    const password = `pw-${randomUUID()}`;
    const res = await http.post('/v1/auth/signup', { email, password, name: 'Asha Rao', phone });
    expect(res.status).toBe(201);
    return { id: res.body.user.id, email, password, phone, ...res.body };
  }

  async function orderOf(customer: TestUser) {
    const { store, product, address } = await make.stockedStore(20);
    const res = await http.post(
      '/v1/orders',
      { items: [{ productId: product.id, quantity: 2 }], address },
      { token: customer.accessToken, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(res.status).toBe(201);
    return { store, product, order: res.body };
  }

  const move = (orderId: string, body: object, token = admin.accessToken) =>
    http.post(`/v1/admin/orders/${orderId}/transitions`, body, { token });

  async function riderAt(storeId: string, state: 'AVAILABLE' | 'OFF_DUTY') {
    const rider = await userWithRole(api.app, http, 'rider');
    for (const to of state === 'AVAILABLE' ? ['AVAILABLE'] : ['AVAILABLE', 'OFF_DUTY'])
      expect(
        (await http.put('/v1/rider/shift', { state: to, storeId }, { token: rider.accessToken }))
          .status,
      ).toBe(200);
    return rider;
  }

  describe('sending out by hand', () => {
    it("refuses a rider off shift or of another store, and sends out with the store's rider on shift", async () => {
      const customer = await signup(http);
      const { store, order } = await orderOf(customer);
      const other = await make.store();
      const offShift = await riderAt(store.id, 'OFF_DUTY');
      const elsewhere = await riderAt(other.id, 'AVAILABLE');
      const neverOnShift = await userWithRole(api.app, http, 'rider');
      expect((await move(order.id, { to: 'PACKED' })).status).toBe(200);

      const off = await move(order.id, { to: 'OUT_FOR_DELIVERY', riderId: offShift.id });
      expectErrorShape(off, 409);
      expect(off.body.code).toBe('RIDER_OFF_SHIFT');
      const never = await move(order.id, { to: 'OUT_FOR_DELIVERY', riderId: neverOnShift.id });
      expect([never.status, never.body.code]).toEqual([409, 'RIDER_OFF_SHIFT']);
      const away = await move(order.id, { to: 'OUT_FOR_DELIVERY', riderId: elsewhere.id });
      expect([away.status, away.body.code]).toEqual([409, 'RIDER_OF_ANOTHER_STORE']);
      const notARider = await move(order.id, { to: 'OUT_FOR_DELIVERY', riderId: customer.id });
      expect([notARider.status, notARider.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      // Nothing moved.
      const still = await http.get(`/v1/admin/orders/${order.id}`, asAdmin);
      expect(still.body.order.status).toBe('PACKED');

      const onShift = await riderAt(store.id, 'AVAILABLE');
      const sent = await move(order.id, { to: 'OUT_FOR_DELIVERY', riderId: onShift.id });
      expect(sent.status).toBe(200);
      expect(sent.body).toMatchObject({ status: 'OUT_FOR_DELIVERY', riderId: onShift.id });
    });
  });

  describe('the order for staff', () => {
    it("shows the customer's contact, offers and internal notes; notes stay off the customer's timeline", async () => {
      const customer = await customerWithPhone();
      const { order, store } = await orderOf(customer);
      const note = await http.post(
        `/v1/admin/orders/${order.id}/notes`,
        { body: '  Ring twice, dog at the gate  ' },
        asAdmin,
      );
      expect(note.status).toBe(201);
      expect(note.body).toMatchObject({ body: 'Ring twice, dog at the gate', authorId: admin.id });

      const detail = await http.get(`/v1/admin/orders/${order.id}`, asAdmin);
      expect(detail.status).toBe(200);
      expect(detail.body.customer).toEqual({
        id: customer.id,
        name: 'Asha Rao',
        email: customer.email,
        phone: customer.phone,
      });
      expect(detail.body.store).toMatchObject({ id: store.id, latitude: store.latitude });
      expect(detail.body.notes.map((n: { body: string }) => n.body)).toEqual([
        'Ring twice, dog at the gate',
      ]);
      expect(detail.body.order.timeline.length).toBeGreaterThan(0);
      expect(detail.body.images).toHaveLength(1);

      // The customer's views: no note anywhere.
      const own = await http.get(`/v1/orders/${order.id}`, { token: customer.accessToken });
      const events = await http.get(`/v1/orders/${order.id}/events`, {
        token: customer.accessToken,
      });
      expect(JSON.stringify([own.body, events.body])).not.toContain('dog at the gate');
      const rows = await api.app
        .get(DataSource)
        .query(
          `SELECT count(*)::int AS n FROM order_events WHERE order_id = $1 AND data::text LIKE '%dog%'`,
          [order.id],
        );
      expect(rows[0].n).toBe(0);
    });

    it('answers 404 for an unknown order, and refuses bad notes with a 400 naming the field', async () => {
      const customer = await signup(http);
      const { order } = await orderOf(customer);
      expectErrorShape(await http.get(`/v1/admin/orders/${randomUUID()}`, asAdmin), 404);
      expectErrorShape(
        await http.post(`/v1/admin/orders/${randomUUID()}/notes`, { body: 'x' }, asAdmin),
        404,
      );
      for (const body of [
        { body: '' },
        { body: '   ' },
        { body: 'x'.repeat(1001) },
        { body: 42 },
        { body: ['a'] },
        { body: 'a\u0000b' },
        {},
        { body: 'ok', extra: 1 },
      ]) {
        const res = await http.post(`/v1/admin/orders/${order.id}/notes`, body, asAdmin);
        expect([JSON.stringify(body).slice(0, 40), res.status]).toEqual([
          JSON.stringify(body).slice(0, 40),
          400,
        ]);
        expectErrorShape(res, 400);
      }
      // Past the body limit: refused before parsing (raw fetch: a 413 is the framework's answer).
      const huge = await fetch(`${api.url}/v1/admin/orders/${order.id}/notes`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${admin.accessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ body: 'y'.repeat(3_000_000) }),
      });
      expect(huge.status).toBeGreaterThanOrEqual(400);
      expect(huge.status).toBeLessThan(500);
    });
  });

  describe('search', () => {
    it("finds orders by id, a card's short id, the customer's email or phone", async () => {
      const customer = await customerWithPhone();
      const { order } = await orderOf(customer);
      const other = await customerWithPhone();
      await orderOf(other);
      const ids = async (q: string) => {
        const res = await http.get(`/v1/admin/orders?q=${encodeURIComponent(q)}`, asAdmin);
        expect([q, res.status]).toEqual([q, 200]);
        return res.body.items.map((o: { id: string }) => o.id);
      };
      expect(await ids(order.id)).toEqual([order.id]);
      expect(await ids(order.id.slice(0, 8).toUpperCase())).toContain(order.id);
      expect(await ids(customer.email.toUpperCase())).toEqual([order.id]);
      expect(await ids(customer.phone)).toEqual([order.id]);
      const spaced = `+91 ${customer.phone.slice(0, 5)} ${customer.phone.slice(5)}`;
      expect(await ids(spaced)).toEqual([order.id]);
      expect(await ids('nobody-at-all@test.flashcart.dev')).toEqual([]);
      expect(await ids('hello')).toEqual([]);
    });

    it('refuses hostile search terms with a 400, never a 500', async () => {
      for (const q of ['a\u0000b', 'x'.repeat(201), 'not an email@', '@@@']) {
        const res = await http.get(`/v1/admin/orders?q=${encodeURIComponent(q)}`, asAdmin);
        expect([q.slice(0, 20), res.status < 500]).toEqual([q.slice(0, 20), true]);
      }
      const nul = await http.get(`/v1/admin/orders?q=%00`, asAdmin);
      expectErrorShape(nul, 400);
      const long = await http.get(`/v1/admin/orders?q=${'x'.repeat(201)}`, asAdmin);
      expectErrorShape(long, 400);
      const twice = await http.get(`/v1/admin/orders?q=a&q=b`, asAdmin);
      expectErrorShape(twice, 400);
    });
  });

  describe('cancel reasons', () => {
    it('takes only a reason of the fixed list, and the customer reads its sentence', async () => {
      const customer = await signup(http);
      const { order } = await orderOf(customer);
      for (const reason of ['store closing', 'STORE_CLOSED', 42, '', 'constructor']) {
        const res = await move(order.id, { to: 'CANCELLED', reason });
        expectErrorShape(res, 400);
      }
      const done = await move(order.id, { to: 'CANCELLED', reason: 'store_closed' });
      expect(done.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'store_closed' });
    });
  });

  describe('roles: the console cannot do what the role may not', () => {
    it('refuses every staff action to a customer and a rider (403), and to no token (401)', async () => {
      const customer = await signup(http);
      const rider = await userWithRole(api.app, http, 'rider');
      const { order, product } = await orderOf(customer);
      const attempts = (token?: string) => [
        http.get(`/v1/admin/orders?q=${encodeURIComponent(customer.email)}`, { token }),
        http.get(`/v1/admin/orders/${order.id}`, { token }),
        http.post(`/v1/admin/orders/${order.id}/notes`, { body: 'hi' }, { token }),
        http.post(`/v1/admin/orders/${order.id}/transitions`, { to: 'PACKED' }, { token }),
        http.post(
          `/v1/admin/orders/${order.id}/transitions`,
          { to: 'CANCELLED', reason: 'store_closed' },
          { token },
        ),
        http.post(
          `/v1/admin/orders/${order.id}/lines/${product.id}/short`,
          { found: 0 },
          { token },
        ),
        http.get(`/v1/admin/stores/${order.storeId}/riders`, { token }),
      ];
      for (const [who, token, status] of [
        ['customer', customer.accessToken, 403],
        ['rider', rider.accessToken, 403],
        ['nobody', undefined, 401],
      ] as const) {
        const results = await Promise.all(attempts(token));
        for (const res of results) expectErrorShape(res, status);
        expect([who, results.map((r) => r.status)]).toEqual([who, results.map(() => status)]);
      }
      // A cross-site form post carrying the staff's page cookie: the API takes bearer tokens only.
      const signIn = await fetch(`${api.url}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
        body: new URLSearchParams({ email: admin.email, password: admin.password }),
      });
      const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
      for (const path of [
        `/v1/admin/orders/${order.id}/notes`,
        `/v1/admin/orders/${order.id}/transitions`,
      ]) {
        const forged = await fetch(`${api.url}${path}`, {
          method: 'POST',
          headers: {
            cookie,
            origin: 'https://evil.example',
            'sec-fetch-site': 'cross-site',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'body=hi&to=CANCELLED',
        });
        expect([path, forged.status]).toEqual([path, 401]);
      }
      // Nothing happened to the order.
      const after = await http.get(`/v1/admin/orders/${order.id}`, asAdmin);
      expect(after.body.order.status).toBe('PLACED');
      expect(after.body.notes).toEqual([]);
    });
  });
});
