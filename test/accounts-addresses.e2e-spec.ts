import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startApi, type RunningApp } from './harness/apps.js';
import { CatalogFactory, north } from './harness/catalog-factory.js';
import { signup, userWithRole, type TestUser } from './harness/factories.js';
import { expectErrorShape, HttpClient, type HttpResult } from './harness/http-client.js';

/** The address book: CRUD, serviceability per address, limits raced, snapshots on orders. */
describe('address book', () => {
  let api: RunningApp;
  let http: HttpClient;
  let db: DataSource;
  let admin: TestUser;
  let make: CatalogFactory;

  beforeAll(async () => {
    api = await startApi();
    http = new HttpClient(api.url);
    db = api.app.get(DataSource);
    admin = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
  });
  afterAll(() => api.close());

  const expectCode = (res: HttpResult, status: number, code: string) => {
    expectErrorShape(res, status);
    expect(res.body.code).toBe(code);
  };
  const save = (t: TestUser, body: Record<string, unknown>) =>
    http.post('/v1/account/addresses', body, { token: t.accessToken });
  const addressAt = (point: { lat: number; lng: number }, extra: Record<string, unknown> = {}) => ({
    label: 'Home',
    line1: '7 Gate Street',
    city: 'Bengaluru',
    pincode: '560038',
    lat: point.lat,
    lng: point.lng,
    ...extra,
  });
  async function shop() {
    const store = await make.store({ serviceRadiusM: 3000 });
    const product = await make.product({ priceMinor: 15000, maxPerOrder: 10 });
    await make.stock(store.id, product.id, 50);
    return { store, product, here: { lat: store.latitude, lng: store.longitude } };
  }

  it('saves, lists, edits and deletes addresses, each saying which store serves it now', async () => {
    const { store, here } = await shop();
    const me = await signup(http);
    const home = await save(me, addressAt(north(here, 500), { instructions: 'Ring twice' }));
    expect(home.status).toBe(201);
    expect(home.body).toMatchObject({
      label: 'Home',
      isDefault: true, // the first one
      serviceable: true,
      servedBy: { id: store.id, name: store.name },
      instructions: 'Ring twice',
    });
    expect(home.body.servedBy.distanceM).toBeGreaterThan(450);
    const far = await save(me, addressAt(north(here, 20_000), { label: 'Far away' }));
    expect(far.status).toBe(201);
    expect(far.body).toMatchObject({ isDefault: false, serviceable: false });
    expect(far.body.servedBy).toBeUndefined();

    const list = await http.get('/v1/account/addresses', { token: me.accessToken });
    expect(list.body.map((a: any) => a.id)).toEqual([home.body.id, far.body.id]);

    // Moving it into the store's radius changes what serves it; making it default moves the flag.
    const moved = await http.patch(
      `/v1/account/addresses/${far.body.id}`,
      { ...north(here, 100), isDefault: true },
      { token: me.accessToken },
    );
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ serviceable: true, isDefault: true, label: 'Far away' });
    expect(
      (await http.get(`/v1/account/addresses/${home.body.id}`, { token: me.accessToken })).body
        .isDefault,
    ).toBe(false);

    // The store closing (inactive) is seen on the next read.
    await http.patch(
      `/v1/admin/stores/${store.id}`,
      { active: false },
      { token: admin.accessToken },
    );
    const closed = await http.get(`/v1/account/addresses/${home.body.id}`, {
      token: me.accessToken,
    });
    expect(closed.body.serviceable).toBe(false);
    await http.patch(
      `/v1/admin/stores/${store.id}`,
      { active: true },
      { token: admin.accessToken },
    );

    // Deleting the default makes the oldest remaining one the default.
    const gone = await http.delete(`/v1/account/addresses/${far.body.id}`, {
      token: me.accessToken,
    });
    expect(gone.status).toBe(204);
    const after = await http.get('/v1/account/addresses', { token: me.accessToken });
    expect(after.body).toHaveLength(1);
    expect(after.body[0]).toMatchObject({ id: home.body.id, isDefault: true });
    expectCode(
      await http.get(`/v1/account/addresses/${far.body.id}`, { token: me.accessToken }),
      404,
      'NOT_FOUND',
    );
  });

  it("answers 404 for another customer's address everywhere, and refuses bad input naming the field", async () => {
    const { product, here } = await shop();
    const owner = await signup(http);
    const other = await signup(http);
    const mine = (await save(owner, addressAt(here))).body;
    const t = { token: other.accessToken };
    expectCode(await http.get(`/v1/account/addresses/${mine.id}`, t), 404, 'NOT_FOUND');
    expectCode(
      await http.patch(`/v1/account/addresses/${mine.id}`, { label: 'Mine now' }, t),
      404,
      'NOT_FOUND',
    );
    expectCode(await http.delete(`/v1/account/addresses/${mine.id}`, t), 404, 'NOT_FOUND');
    expectCode(await http.put('/v1/cart/address', { addressId: mine.id }, t), 404, 'NOT_FOUND');
    expectCode(
      await http.post(
        '/v1/orders',
        { items: [{ productId: product.id, quantity: 1 }], addressId: mine.id },
        { ...t, headers: { 'idempotency-key': randomUUID() } },
      ),
      404,
      'NOT_FOUND',
    );
    expect((await http.get('/v1/account/addresses', t)).body).toEqual([]);
    // Untouched for its owner.
    expect(
      (await http.get(`/v1/account/addresses/${mine.id}`, { token: owner.accessToken })).body.label,
    ).toBe('Home');

    const bad = await save(owner, addressAt(here, { pincode: '012345' }));
    expectErrorShape(bad, 400);
    expect(JSON.stringify(bad.body.message)).toContain('pincode');
    const both = await http.put(
      '/v1/cart/address',
      { addressId: mine.id, address: { ...addressAt(here), label: undefined } },
      { token: owner.accessToken },
    );
    expectErrorShape(both, 400);
    const neither = await http.put('/v1/cart/address', {}, { token: owner.accessToken });
    expectErrorShape(neither, 400);
    expect(JSON.stringify(neither.body.message)).toContain('addressId');
  });

  it('keeps a snapshot on the order: editing or deleting the saved address changes no placed order', async () => {
    const { product, here, store } = await shop();
    const me = await signup(http);
    const saved = (
      await save(me, addressAt(north(here, 200), { line2: 'Flat 4', instructions: 'Gate 3' }))
    ).body;

    const placeKey = randomUUID();
    const place = () =>
      http.post(
        '/v1/orders',
        { items: [{ productId: product.id, quantity: 1 }], addressId: saved.id },
        { token: me.accessToken, headers: { 'idempotency-key': placeKey } },
      );
    const placed = await place();
    expect(placed.status).toBe(201);
    expect(placed.body.storeId).toBe(store.id);
    const snapshot = {
      line1: '7 Gate Street',
      line2: 'Flat 4',
      city: 'Bengaluru',
      pincode: '560038',
      lat: saved.lat,
      lng: saved.lng,
      instructions: 'Gate 3',
    };
    expect(placed.body.address).toEqual(snapshot);

    // Through the cart too.
    const cart = await http.put(
      '/v1/cart/address',
      { addressId: saved.id },
      { token: me.accessToken },
    );
    expect(cart.status).toBe(200);
    expect(cart.body.address).toEqual(snapshot);
    expect(cart.body.store.id).toBe(store.id);
    await http.post(
      '/v1/cart/lines',
      { productId: product.id, quantity: 1 },
      { token: me.accessToken },
    );
    const priced = await http.get('/v1/cart', { token: me.accessToken });
    const checkedOut = await http.post(
      '/v1/cart/checkout',
      { version: priced.body.version },
      { token: me.accessToken, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(checkedOut.status).toBe(201);
    expect(checkedOut.body.address).toEqual(snapshot);

    await http.patch(
      `/v1/account/addresses/${saved.id}`,
      { line1: '99 Elsewhere Road', instructions: 'Leave at door' },
      { token: me.accessToken },
    );
    for (const id of [placed.body.id, checkedOut.body.id])
      expect((await http.get(`/v1/orders/${id}`, { token: me.accessToken })).body.address).toEqual(
        snapshot,
      );
    await http.delete(`/v1/account/addresses/${saved.id}`, { token: me.accessToken });
    for (const id of [placed.body.id, checkedOut.body.id])
      expect((await http.get(`/v1/orders/${id}`, { token: me.accessToken })).body.address).toEqual(
        snapshot,
      );
    // A retry of the first placement, its saved address gone: the first order answers (it was 404).
    const replayed = await place();
    expect(replayed.status).toBe(201);
    expect(replayed.body.id).toBe(placed.body.id);
    expectCode(
      await http.post(
        '/v1/orders',
        { items: [{ productId: product.id, quantity: 1 }], addressId: saved.id },
        { token: me.accessToken, headers: { 'idempotency-key': randomUUID() } },
      ),
      404,
      'NOT_FOUND',
    );
  });

  it('holds the limit under concurrent creates, per customer, and one default under concurrent "make default"', async () => {
    const { here } = await shop();
    const [a, b] = [await signup(http), await signup(http)];
    // 18 already saved for each; 10 more raced per customer, both customers at once: 2 each get in.
    for (const t of [a, b])
      for (let i = 0; i < 18; i++)
        expect((await save(t, addressAt(here, { label: `A${i}` }))).status).toBe(201);
    const raced = await Promise.all(
      [a, b].flatMap((t) =>
        Array.from({ length: 10 }, (_, i) => save(t, addressAt(here, { label: `R${i}` }))),
      ),
    );
    for (const [i, t] of [a, b].entries()) {
      const mine = raced.slice(i * 10, i * 10 + 10);
      expect(mine.filter((r) => r.status === 201)).toHaveLength(2);
      for (const r of mine.filter((r) => r.status !== 201)) {
        expectCode(r, 409, 'ADDRESS_BOOK_FULL');
        expect(r.body.max).toBe(20);
      }
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM customer_addresses WHERE user_id = $1`,
        [t.id],
      );
      expect(n).toBe(20);
    }

    const ids = (await http.get('/v1/account/addresses', { token: a.accessToken })).body.map(
      (x: any) => x.id,
    );
    const made = await Promise.all(
      ids.map((id: string) =>
        http.patch(`/v1/account/addresses/${id}`, { isDefault: true }, { token: a.accessToken }),
      ),
    );
    expect(made.every((r) => r.status === 200)).toBe(true);
    const [{ defaults }] = await db.query(
      `SELECT count(*)::int AS defaults FROM customer_addresses WHERE user_id = $1 AND is_default`,
      [a.id],
    );
    expect(defaults).toBe(1);
  });
});
