import { randomUUID } from 'node:crypto';
import { startApi, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { signup, userWithRole, type TestUser } from './harness/factories.js';
import { expectErrorShape, HttpClient, type HttpResult } from './harness/http-client.js';
import { sendOut } from './harness/rider-shift.js';

/** Ratings: once per delivered order, only by its customer; averages per store and rider. */
describe('ratings', () => {
  let api: RunningApp;
  let http: HttpClient;
  let admin: TestUser;
  let make: CatalogFactory;

  beforeAll(async () => {
    api = await startApi();
    http = new HttpClient(api.url);
    admin = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
  });
  afterAll(() => api.close());

  const expectCode = (res: HttpResult, status: number, code: string) => {
    expectErrorShape(res, status);
    expect(res.body.code).toBe(code);
  };
  async function shop() {
    const store = await make.store({ serviceRadiusM: 3000 });
    const product = await make.product({ priceMinor: 15000, maxPerOrder: 10 });
    await make.stock(store.id, product.id, 100);
    const address = {
      line1: '1 Test Road',
      city: 'Bengaluru',
      pincode: '560038',
      lat: store.latitude,
      lng: store.longitude,
    };
    return { store, product, address };
  }
  async function order(customer: TestUser, s: Awaited<ReturnType<typeof shop>>) {
    const res = await http.post(
      '/v1/orders',
      { items: [{ productId: s.product.id, quantity: 1 }], address: s.address },
      { token: customer.accessToken, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  const move = (id: string, body: unknown) =>
    http.post(`/v1/admin/orders/${id}/transitions`, body, { token: admin.accessToken });
  async function deliver(id: string, rider: TestUser) {
    expect((await move(id, { to: 'PACKED' })).status).toBe(200);
    expect((await sendOut(http, admin, rider, id)).status).toBe(200);
    const done = await http.post(
      `/v1/rider/orders/${id}/transitions`,
      { to: 'DELIVERED' },
      { token: rider.accessToken },
    );
    expect(done.status).toBe(200);
  }
  const rate = (t: TestUser, id: string, body: unknown) =>
    http.post(`/v1/orders/${id}/rating`, body, { token: t.accessToken });

  it('is refused before delivery (409 naming the state), by anyone else (404), and accepted once after', async () => {
    const s = await shop();
    const rider = await userWithRole(api.app, http, 'rider');
    const me = await signup(http);
    const other = await signup(http);
    const id = await order(me, s);

    const early = await rate(me, id, { orderScore: 5 });
    expectCode(early, 409, 'ORDER_NOT_DELIVERED');
    expect(early.body.currentStatus).toBe('PLACED');
    expect(early.body.message).toContain('PLACED');
    await move(id, { to: 'PACKED' });
    await sendOut(http, admin, rider, id);
    expect((await rate(me, id, { orderScore: 5 })).body.currentStatus).toBe('OUT_FOR_DELIVERY');
    await http.post(
      `/v1/rider/orders/${id}/transitions`,
      { to: 'DELIVERED' },
      { token: rider.accessToken },
    );

    expectCode(await rate(other, id, { orderScore: 1 }), 404, 'NOT_FOUND');
    expectCode(await rate(me, randomUUID(), { orderScore: 1 }), 404, 'NOT_FOUND');
    expectErrorShape(await rate(me, id, { orderScore: 6 }), 400);
    expectErrorShape(await rate(me, id, { orderScore: 4, riderComment: 'no score' }), 400);
    expectErrorShape(
      await rate(me, id, { orderScore: 4, riderScore: 4, riderComment: 'x'.repeat(501) }),
      400,
    );

    const ok = await rate(me, id, { orderScore: 4, riderScore: 5, riderComment: 'Quick' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      orderId: id,
      storeId: s.store.id,
      riderId: rider.id,
      orderScore: 4,
      riderScore: 5,
      riderComment: 'Quick',
    });
    expectCode(await rate(me, id, { orderScore: 1 }), 409, 'ALREADY_RATED');
    expect(
      (await http.get(`/v1/orders/${id}/rating`, { token: me.accessToken })).body.orderScore,
    ).toBe(4);
    expectCode(
      await http.get(`/v1/orders/${id}/rating`, { token: other.accessToken }),
      404,
      'NOT_FOUND',
    );
  });

  it('accepts exactly one of parallel submissions per order, across several orders at once', async () => {
    const s = await shop();
    const rider = await userWithRole(api.app, http, 'rider');
    const customers = [await signup(http), await signup(http), await signup(http)];
    const orders = [];
    for (const c of customers) {
      const id = await order(c, s);
      await deliver(id, rider);
      orders.push({ c, id });
    }
    const results = await Promise.all(
      orders.flatMap(({ c, id }) =>
        Array.from({ length: 8 }, (_, i) =>
          rate(c, id, { orderScore: 1 + (i % 5), riderScore: 3 }),
        ),
      ),
    );
    for (let o = 0; o < orders.length; o++) {
      const mine = results.slice(o * 8, o * 8 + 8);
      expect(mine.filter((r) => r.status === 201)).toHaveLength(1);
      for (const r of mine.filter((r) => r.status !== 201)) expectCode(r, 409, 'ALREADY_RATED');
    }
  });

  it('averages per store and per rider for admins', async () => {
    const s = await shop();
    const [r1, r2] = [
      await userWithRole(api.app, http, 'rider'),
      await userWithRole(api.app, http, 'rider'),
    ];
    const scores: [TestUser, number, number | undefined][] = [
      [r1, 5, 5],
      [r1, 4, 2],
      [r2, 2, undefined],
      [r2, 3, 4],
    ];
    for (const [rider, orderScore, riderScore] of scores) {
      const me = await signup(http);
      const id = await order(me, s);
      await deliver(id, rider);
      expect((await rate(me, id, { orderScore, riderScore })).status).toBe(201);
    }
    const sum = await http.get(`/v1/admin/ratings/summary?storeId=${s.store.id}`, {
      token: admin.accessToken,
    });
    expect(sum.status).toBe(200);
    expect(sum.body.stores).toEqual([{ storeId: s.store.id, ratings: 4, average: 3.5 }]);
    expect(sum.body.riders).toEqual(
      expect.arrayContaining([
        { riderId: r1.id, ratings: 2, average: 3.5 },
        { riderId: r2.id, ratings: 1, average: 4 },
      ]),
    );
    expect(sum.body.riders).toHaveLength(2);
    const one = await http.get(`/v1/admin/ratings/summary?riderId=${r1.id}`, {
      token: admin.accessToken,
    });
    expect(one.body.riders).toEqual([{ riderId: r1.id, ratings: 2, average: 3.5 }]);
    expect(one.body.stores).toEqual([{ storeId: s.store.id, ratings: 2, average: 4.5 }]);
    const customer = await signup(http);
    expectCode(
      await http.get('/v1/admin/ratings/summary', { token: customer.accessToken }),
      403,
      'FORBIDDEN',
    );
  });
});
