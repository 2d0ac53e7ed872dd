import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { MaintenanceProcessor } from '../apps/worker/src/processors/maintenance.processor.js';
import { NotificationsService } from '#libs/notifications';
import { startApi, startWorker, type RunningApp } from './harness/apps.js';
import { CatalogFactory, north } from './harness/catalog-factory.js';
import { signup, userWithRole, type TestUser } from './harness/factories.js';
import { expectErrorShape, HttpClient, type HttpResult } from './harness/http-client.js';
import { TrackingClient } from './harness/tracking-client.js';
import { sendOut } from './harness/rider-shift.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Data rights (DPDP Act / GDPR): the export, and erasing an account (by its owner or an admin). */
describe('data rights', () => {
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
  const move = (id: string, body: unknown) =>
    http.post(`/v1/admin/orders/${id}/transitions`, body, { token: admin.accessToken });
  const deliverAs = (rider: TestUser, id: string) =>
    http.post(
      `/v1/rider/orders/${id}/transitions`,
      { to: 'DELIVERED' },
      { token: rider.accessToken },
    );
  const eraseMe = (t: TestUser, password = t.password) =>
    http.request('DELETE', '/v1/account', { password }, { token: t.accessToken });

  async function shop() {
    const store = await make.store({ serviceRadiusM: 3000 });
    const product = await make.product({ priceMinor: 15000, maxPerOrder: 10 });
    await make.stock(store.id, product.id, 100);
    return { store, product, here: { lat: store.latitude, lng: store.longitude } };
  }

  /** A customer with a saved address, a cart, two orders (one delivered and rated), notifications. */
  async function customerWithHistory(
    s: Awaited<ReturnType<typeof shop>>,
    rider: TestUser,
    tag: string,
  ) {
    const me = await signup(http, tag);
    const saved = (
      await http.post(
        '/v1/account/addresses',
        {
          label: `Home of ${tag}`,
          line1: `${tag} street 1`,
          city: 'Bengaluru',
          pincode: '560038',
          ...north(s.here, 300),
          instructions: `${tag} gate code 42`,
        },
        { token: me.accessToken },
      )
    ).body;
    const orders: any[] = [];
    for (const note of [`${tag} note one`, `${tag} note two`]) {
      const res = await http.post(
        '/v1/orders',
        { items: [{ productId: s.product.id, quantity: 1 }], addressId: saved.id, note },
        { token: me.accessToken, headers: { 'idempotency-key': randomUUID() } },
      );
      expect(res.status).toBe(201);
      orders.push(res.body);
    }
    await move(orders[0].id, { to: 'PACKED' });
    await sendOut(http, admin, rider, orders[0].id);
    expect((await deliverAs(rider, orders[0].id)).status).toBe(200);
    expect(
      (
        await http.post(
          `/v1/orders/${orders[0].id}/rating`,
          { orderScore: 5, riderScore: 4, riderComment: `${tag} was lovely` },
          { token: me.accessToken },
        )
      ).status,
    ).toBe(201);
    await api.app.get(NotificationsService).notify({
      userId: me.id,
      orderId: orders[0].id,
      dedupeKey: `test-${randomUUID()}`,
      type: 'order.delivered',
      title: `Delivered to ${tag}`,
      body: `Your order reached ${tag} street 1`,
    });
    await http.put('/v1/cart/address', { addressId: saved.id }, { token: me.accessToken });
    await http.post(
      '/v1/cart/lines',
      { productId: s.product.id, quantity: 2 },
      { token: me.accessToken },
    );
    return { me, saved, orders };
  }

  it('exports everything held about the caller, and nothing about another customer', async () => {
    const s = await shop();
    const rider = await userWithRole(api.app, http, 'rider');
    const alice = await customerWithHistory(s, rider, 'alice');
    const bob = await customerWithHistory(s, rider, 'bob');

    const res = await http.get('/v1/account/export', { token: alice.me.accessToken });
    expect(res.status).toBe(200);
    const data = res.body;
    expect(data.userId).toBe(alice.me.id);
    expect(data.profile).toMatchObject({
      id: alice.me.id,
      email: alice.me.email,
      role: 'customer',
    });
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(data.addresses).toEqual([
      expect.objectContaining({ id: alice.saved.id, instructions: 'alice gate code 42' }),
    ]);
    expect(data.orders.map((o: any) => o.id)).toEqual(alice.orders.map((o) => o.id));
    expect(data.orders[0]).toMatchObject({
      status: 'DELIVERED',
      note: 'alice note one',
      address: expect.objectContaining({ line1: 'alice street 1' }),
    });
    expect(data.orders[0].items).toHaveLength(1);
    expect(
      data.orders[0].timeline.filter((e: any) => e.toStatus).map((e: any) => e.toStatus),
    ).toEqual(['PLACED', 'PACKED', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    expect(data.notifications.map((n: any) => n.title)).toContain('Delivered to alice');
    expect(data.ratings).toEqual([
      expect.objectContaining({ orderId: alice.orders[0].id, riderComment: 'alice was lovely' }),
    ]);
    expect(data.cart).toMatchObject({
      address: expect.objectContaining({ line1: 'alice street 1' }),
      lines: [expect.objectContaining({ productId: s.product.id, quantity: 2 })],
    });

    const text = JSON.stringify(data);
    for (const other of [
      bob.me.id,
      bob.me.email,
      'bob',
      bob.saved.id,
      ...bob.orders.map((o) => o.id),
    ])
      expect(text).not.toContain(other);
    // No secret: no password or token, nor their hashes.
    for (const secret of [alice.me.password, alice.me.refreshToken, alice.me.accessToken])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/hash|argon2/i);
    expectCode(
      await http.get('/v1/account/export', { token: admin.accessToken }),
      403,
      'FORBIDDEN',
    );
  });

  it('erases an account: signed out everywhere (refresh refused, socket dropped), personal data gone, orders kept with totals', async () => {
    const s = await shop();
    const rider = await userWithRole(api.app, http, 'rider');
    const carol = await customerWithHistory(s, rider, 'carol');
    const dave = await customerWithHistory(s, rider, 'dave');
    const socket = await TrackingClient.connect(api.url, carol.me.accessToken);
    const dropped = new Promise<string>((resolve) => socket.socket.once('disconnect', resolve));

    expectCode(await eraseMe(carol.me, 'not-my-password'), 403, 'PASSWORD_INCORRECT');
    expect((await http.get('/v1/account/export', { token: carol.me.accessToken })).status).toBe(
      200,
    );

    expect((await eraseMe(carol.me)).status).toBe(204);
    expect(await Promise.race([dropped, sleep(3_000).then(() => 'still connected')])).toBe(
      'io server disconnect',
    );
    expectErrorShape(
      await http.post('/v1/auth/refresh', { refreshToken: carol.me.refreshToken }),
      401,
    );
    expectErrorShape(await http.get('/v1/auth/me', { token: carol.me.accessToken }), 401);
    expectErrorShape(
      await http.post('/v1/auth/login', { email: carol.me.email, password: carol.me.password }),
      401,
    );
    // The email is free again: the person may sign up anew.
    expect(
      (
        await http.post('/v1/auth/signup', {
          email: carol.me.email,
          password: `pw-${randomUUID()}`,
          name: 'Carol again',
        })
      ).status,
    ).toBe(201);

    const [user] = await db.query(
      `SELECT email, name, phone, disabled, erased_at FROM users WHERE id = $1`,
      [carol.me.id],
    );
    expect(user.email).not.toContain('carol');
    expect(user.name).not.toContain('carol');
    expect(user).toMatchObject({ phone: null, disabled: true });
    expect(user.erased_at).not.toBeNull();
    const count = async (sql: string) => (await db.query(sql, [carol.me.id]))[0].n as number;
    expect(
      await count(`SELECT count(*)::int AS n FROM customer_addresses WHERE user_id = $1`),
    ).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM carts WHERE user_id = $1`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE user_id = $1`)).toBe(
      0,
    );
    expect(await count(`SELECT count(*)::int AS n FROM order_ratings WHERE user_id = $1`)).toBe(0);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id WHERE s.user_id = $1`,
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NULL`,
      ),
    ).toBe(0);

    // Orders stay for accounting, with totals, without personal fields (the open one is marked).
    const orders = await db.query(
      `SELECT id, status, address, note, total_minor, erase_personal_data FROM orders WHERE user_id = $1 ORDER BY placed_at`,
      [carol.me.id],
    );
    expect(orders).toHaveLength(2);
    expect(orders[0]).toMatchObject({
      status: 'DELIVERED',
      note: null,
      total_minor: carol.orders[0].total.amount,
      erase_personal_data: false,
    });
    expect(orders[0].address).toEqual({
      line1: '(erased)',
      city: 'Bengaluru',
      pincode: '560038',
      lat: Math.round(carol.saved.lat * 100) / 100,
      lng: Math.round(carol.saved.lng * 100) / 100,
    });
    expect(orders[1]).toMatchObject({ status: 'PLACED', erase_personal_data: true });
    const everything = JSON.stringify(
      await db.query(
        `SELECT o.address, o.note, o.cancel_reason, r.rider_comment FROM orders o
           LEFT JOIN order_ratings r ON r.order_id = o.id WHERE o.id = $1`,
        [carol.orders[0].id],
      ),
    );
    expect(everything).not.toContain('carol');
    // The rating's score still counts for the store.
    const summary = await http.get(`/v1/admin/ratings/summary?storeId=${s.store.id}`, {
      token: admin.accessToken,
    });
    expect(summary.body.stores[0].ratings).toBe(2);

    // The open order, cancelled later, loses its personal fields then.
    await move(carol.orders[1].id, { to: 'CANCELLED', reason: 'customer_request' });
    const [cancelled] = await db.query(`SELECT address, note FROM orders WHERE id = $1`, [
      carol.orders[1].id,
    ]);
    expect(cancelled).toEqual({ address: orders[0].address, note: null });

    // Nothing of Dave's changed.
    const daves = await http.get('/v1/account/export', { token: dave.me.accessToken });
    expect(daves.body.addresses).toHaveLength(1);
    expect(daves.body.orders[0].address.line1).toBe('dave street 1');
    expect(daves.body.notifications).toHaveLength(1);
    socket.socket.close();
  });

  it('lets an order out for delivery complete after its customer is erased, then removes its personal data', async () => {
    const worker = await startWorker();
    try {
      const s = await shop();
      const rider = await userWithRole(api.app, http, 'rider');
      const erin = await signup(http, 'erin');
      const address = {
        line1: 'erin lane 9',
        line2: 'flat 2',
        city: 'Bengaluru',
        pincode: '560038',
        ...north(s.here, 200),
        instructions: 'erin: call on arrival',
      };
      const placed = await http.post(
        '/v1/orders',
        { items: [{ productId: s.product.id, quantity: 2 }], address, note: 'erin note' },
        { token: erin.accessToken, headers: { 'idempotency-key': randomUUID() } },
      );
      const id = placed.body.id;
      await move(id, { to: 'PACKED' });
      await sendOut(http, admin, rider, id);

      expect((await eraseMe(erin)).status).toBe(204);

      // The rider still has where to go, and the instructions.
      const riding = await http.get('/v1/rider/orders', { token: rider.accessToken });
      const mine = riding.body.items.find((o: any) => o.id === id);
      expect(mine.address).toEqual(address);
      expect(mine.note).toBe('erin note');

      const done = await deliverAs(rider, id);
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('DELIVERED');
      expect(done.body.address.line1).toBe('(erased)');
      const [row] = await db.query(
        `SELECT status, address, note, total_minor, erase_personal_data FROM orders WHERE id = $1`,
        [id],
      );
      expect(row).toMatchObject({
        status: 'DELIVERED',
        note: null,
        total_minor: placed.body.total.amount,
        erase_personal_data: false,
      });
      expect(JSON.stringify(row.address)).not.toMatch(/erin|flat|call/);
      expect(row.address).toMatchObject({ city: 'Bengaluru', pincode: '560038' });
      // The timeline is whole; the worker's notifications for it are not written for the erased
      // customer (the delivery's events have gone through the outbox meanwhile).
      const timeline = await http.get(`/v1/orders/${id}`, { token: admin.accessToken });
      expect(
        timeline.body.timeline.filter((e: any) => e.toStatus).map((e: any) => e.toStatus),
      ).toEqual(['PLACED', 'PACKED', 'OUT_FOR_DELIVERY', 'DELIVERED']);
      // The worker notifies the customer, then the rider, of the delivery: once the rider has it,
      // the customer's was attempted, and refused for the erased account.
      const riderHas = async () =>
        (
          await db.query(
            `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND dedupe_key = $2`,
            [rider.id, `order:${id}:4`],
          )
        )[0].n as number;
      for (let waited = 0; (await riderHas()) === 0 && waited < 15_000; waited += 100)
        await sleep(100);
      expect(await riderHas()).toBe(1);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1`,
        [erin.id],
      );
      expect(n).toBe(0);
    } finally {
      await worker.close();
    }
  });

  it("the maintenance sweep erases an order that escaped its customer's erasure (written just after it)", async () => {
    let worker: RunningApp | undefined;
    try {
      const s = await shop();
      const rider = await userWithRole(api.app, http, 'rider');
      const gina = await signup(http, 'gina');
      const placed = await http.post(
        '/v1/orders',
        {
          items: [{ productId: s.product.id, quantity: 1 }],
          address: { line1: 'gina road', city: 'Bengaluru', pincode: '560038', ...s.here },
          note: 'gina note',
        },
        { token: gina.accessToken, headers: { 'idempotency-key': randomUUID() } },
      );
      expect((await eraseMe(gina)).status).toBe(204);
      // As if the placement had committed right after the erasure: not marked, key stored.
      await db.query(`UPDATE orders SET erase_personal_data = false WHERE id = $1`, [
        placed.body.id,
      ]);
      await db.query(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body, expires_at)
         VALUES ($1, 'late', 'x', 201, '{"address":{"line1":"gina road"}}', now() + interval '1 day')`,
        [gina.id],
      );
      await move(placed.body.id, { to: 'PACKED' });
      await sendOut(http, admin, rider, placed.body.id);
      await deliverAs(rider, placed.body.id);
      const before = await db.query(`SELECT address FROM orders WHERE id = $1`, [placed.body.id]);
      expect(before[0].address.line1).toBe('gina road');

      // Its first purge runs at start (and may be the one that sweeps): the effect is asserted.
      worker = await startWorker();

      const result = await worker.app.get(MaintenanceProcessor).process({
        name: 'purge',
        queueName: 'maintenance',
        attemptsMade: 0,
        data: {},
      } as unknown as Job);
      expect(result).toMatchObject({ erasedCustomersOrders: expect.any(Number) });
      const [row] = await db.query(`SELECT address, note FROM orders WHERE id = $1`, [
        placed.body.id,
      ]);
      expect(row).toMatchObject({ address: { line1: '(erased)' }, note: null });
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM idempotency_keys WHERE user_id = $1`,
        [gina.id],
      );
      expect(n).toBe(0);
    } finally {
      await worker?.close();
    }
  });

  it('under load: erasures racing the deliveries of their orders leave every order delivered and without personal data', async () => {
    const s = await shop();
    const rider = await userWithRole(api.app, http, 'rider');
    const runs = [];
    for (let i = 0; i < 8; i++) {
      const me = await signup(http, `racer${i}`);
      const placed = await http.post(
        '/v1/orders',
        {
          items: [{ productId: s.product.id, quantity: 1 }],
          address: { line1: `racer${i} road`, city: 'Bengaluru', pincode: '560038', ...s.here },
          note: `racer${i} note`,
        },
        { token: me.accessToken, headers: { 'idempotency-key': randomUUID() } },
      );
      await move(placed.body.id, { to: 'PACKED' });
      await sendOut(http, admin, rider, placed.body.id);
      runs.push({ me, id: placed.body.id as string });
    }
    const results = await Promise.all(
      runs.flatMap(({ me, id }) => [eraseMe(me), deliverAs(rider, id)]),
    );
    expect(results.map((r) => r.status)).toEqual(runs.flatMap(() => [204, 200]));
    const rows = await db.query(
      `SELECT status, address, note, erase_personal_data FROM orders WHERE id = ANY($1::uuid[])`,
      [runs.map((r) => r.id)],
    );
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'DELIVERED', note: null, erase_personal_data: false });
      expect(row.address.line1).toBe('(erased)');
    }
  });

  it('limits password guesses on the erasure per account, like login (a stolen token buys no more)', async () => {
    const limited = await startApi({ AUTH_RATE_LIMIT_ACCOUNT: '5' });
    try {
      const limitedHttp = new HttpClient(limited.url);
      const victim = await signup(limitedHttp, 'guessed');
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push(
          (
            await limitedHttp.request(
              'DELETE',
              '/v1/account',
              { password: `guess-${i}` },
              { token: victim.accessToken },
            )
          ).status,
        );
      expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429]);
      // The right password is refused too until the window passes: the account is not erased.
      const [{ erased_at }] = await db.query(`SELECT erased_at FROM users WHERE id = $1`, [
        victim.id,
      ]);
      expect(erased_at).toBeNull();
    } finally {
      await limited.close();
    }
  });

  it('lets an admin erase a customer on request (404 unknown, 409 not a customer)', async () => {
    const s = await shop();
    const rider = await userWithRole(api.app, http, 'rider');
    const frank = await customerWithHistory(s, rider, 'frank');
    const socket = await TrackingClient.connect(api.url, frank.me.accessToken);
    const dropped = new Promise<string>((resolve) => socket.socket.once('disconnect', resolve));
    const erase = (id: string, token = admin.accessToken) =>
      http.post(`/v1/admin/users/${id}/erase`, undefined, { token });

    expectCode(await erase(frank.me.id, frank.me.accessToken), 403, 'FORBIDDEN');
    expectCode(await erase(randomUUID()), 404, 'NOT_FOUND');
    expectCode(await erase(rider.id), 409, 'CONFLICT');
    // Staff's internal notes on the customer's orders may name them: erased with them.
    const noted = await http.post(
      `/v1/admin/orders/${frank.orders[1].id}/notes`,
      { body: 'frank: call +91 98123 45678, behind the temple' },
      { token: admin.accessToken },
    );
    expect(noted.status).toBe(201);
    const res = await erase(frank.me.id);
    expect(res.status).toBe(200);
    expect(res.body.userId).toBe(frank.me.id);
    expect(await Promise.race([dropped, sleep(3_000).then(() => 'still connected')])).toBe(
      'io server disconnect',
    );
    expectErrorShape(
      await http.post('/v1/auth/refresh', { refreshToken: frank.me.refreshToken }),
      401,
    );
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM customer_addresses WHERE user_id = $1`,
      [frank.me.id],
    );
    expect(n).toBe(0);
    const notes = await db.query(
      `SELECT body FROM order_staff_notes WHERE order_id = ANY($1::uuid[])`,
      [frank.orders.map((o: { id: string }) => o.id)],
    );
    expect(notes).toEqual([]);
    expect((await erase(frank.me.id)).status).toBe(200); // again: nothing left, same answer
    socket.socket.close();
  });
});
