import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { orderEventsChannel } from '#libs/tracking';
import { AppProcess } from './harness/app-process.js';
import { startApi, type RunningApp } from './harness/apps.js';
import { CatalogFactory, north } from './harness/catalog-factory.js';
import { signup, userWithRole, type TestUser } from './harness/factories.js';
import { expectErrorShape, HttpClient } from './harness/http-client.js';
import { onShiftAt } from './harness/rider-shift.js';

describe('orders', () => {
  let api: RunningApp;
  let http: HttpClient;
  let db: DataSource;
  let admin: TestUser;
  let rider: TestUser;
  let make: CatalogFactory;

  beforeAll(async () => {
    api = await startApi({ MAX_OPEN_ORDERS_PER_CUSTOMER: '1000' });
    http = new HttpClient(api.url);
    db = api.app.get(DataSource);
    admin = await userWithRole(api.app, http, 'admin');
    rider = await userWithRole(api.app, http, 'rider');
    make = new CatalogFactory(http, admin.accessToken);
  });
  afterAll(() => api.close());

  /** A store with products in stock, and an address it serves. */
  async function shop(stock: number[] = [20, 20, 20], prices: number[] = [2800, 4500, 12000]) {
    const store = await make.store({ serviceRadiusM: 5000 });
    const products = [];
    for (const [i, quantity] of stock.entries()) {
      const product = await make.product({ priceMinor: prices[i] ?? 1000, maxPerOrder: 100 });
      await make.stock(store.id, product.id, quantity);
      products.push(product);
    }
    const address = {
      line1: '1 Test Road',
      city: 'Bengaluru',
      pincode: '560038',
      lat: store.latitude,
      lng: store.longitude,
    };
    return { store, products, address };
  }

  const place = (token: string, body: unknown, key: string = randomUUID()) =>
    http.post('/v1/orders', body, { token, headers: { 'idempotency-key': key } });

  const quantityOf = async (storeId: string, productId: string) =>
    (
      await db.query(`SELECT quantity FROM store_stock WHERE store_id = $1 AND product_id = $2`, [
        storeId,
        productId,
      ])
    )[0].quantity as number;

  const ledgerSum = async (storeId: string, productId: string) =>
    (
      await db.query(
        `SELECT COALESCE(SUM(delta), 0)::int AS sum FROM stock_movements WHERE store_id = $1 AND product_id = $2`,
        [storeId, productId],
      )
    )[0].sum as number;

  const transition = (id: string, body: unknown, token = admin.accessToken) =>
    http.post(`/v1/admin/orders/${id}/transitions`, body, { token });

  it('goes PLACED → PACKED → OUT_FOR_DELIVERY → DELIVERED with server prices and a gapless timeline', async () => {
    const { store, products, address } = await shop();
    const customer = await signup(http);
    const res = await place(customer.accessToken, {
      items: [
        { productId: products[0].id, quantity: 2 },
        { productId: products[1].id, quantity: 1 },
      ],
      address,
    });
    expect(res.status).toBe(201);
    const order = res.body;
    expect(order).toMatchObject({
      status: 'PLACED',
      storeId: store.id,
      subtotal: { amount: 2 * 2800 + 4500, currency: 'INR' },
      deliveryFee: { amount: 2500, currency: 'INR' },
      total: { amount: 2 * 2800 + 4500 + 2500, currency: 'INR' },
    });
    expect(order.items).toHaveLength(2);
    expect(new Date(order.promisedBy).getTime() - new Date(order.placedAt).getTime()).toBe(
      10 * 60_000,
    );
    expect(await quantityOf(store.id, products[0].id)).toBe(18);

    expect((await transition(order.id, { to: 'PACKED' })).body.status).toBe('PACKED');
    await onShiftAt(http, rider, store.id); // (offers it the order: an order.rider_offered event)
    const out = await transition(order.id, { to: 'OUT_FOR_DELIVERY', riderId: rider.id });
    expect(out.body).toMatchObject({ status: 'OUT_FOR_DELIVERY', riderId: rider.id });
    expect(
      (await http.get('/v1/rider/orders', { token: rider.accessToken })).body.items.map(
        (o: any) => o.id,
      ),
    ).toContain(order.id);
    const done = await http.post(
      `/v1/rider/orders/${order.id}/transitions`,
      { to: 'DELIVERED' },
      { token: rider.accessToken },
    );
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('DELIVERED');

    const events = await http.get(`/v1/orders/${order.id}/events`, { token: customer.accessToken });
    // The moves; the offer made when the rider went on shift is not one.
    const moves = events.body.filter((e: any) => e.type !== 'order.rider_offered');
    expect(events.body.map((e: any) => e.seq)).toEqual(
      events.body.map((_: any, i: number) => i + 1),
    );
    expect(moves.map((e: any) => [e.fromStatus, e.toStatus, e.actor.role])).toEqual([
      [null, 'PLACED', 'customer'],
      ['PLACED', 'PACKED', 'admin'],
      ['PACKED', 'OUT_FOR_DELIVERY', 'admin'],
      ['OUT_FOR_DELIVERY', 'DELIVERED', 'rider'],
    ]);
    const after = await http.get(`/v1/orders/${order.id}/events?afterSeq=2`, {
      token: customer.accessToken,
    });
    expect(after.body.map((e: any) => e.seq)).toEqual(events.body.slice(2).map((e: any) => e.seq));
    const full = await http.get(`/v1/orders/${order.id}`, { token: customer.accessToken });
    expect(full.body.timeline).toHaveLength(events.body.length);
    expect(full.body.version).toBe(4);
  });

  it('refuses illegal transitions: 409 naming the status, 403 for the wrong role', async () => {
    const { products, address } = await shop();
    const customer = await signup(http);
    const otherRider = await userWithRole(api.app, http, 'rider');
    const { body: order } = await place(customer.accessToken, {
      items: [{ productId: products[0].id, quantity: 1 }],
      address,
    });

    const skip = await transition(order.id, { to: 'DELIVERED' });
    expectErrorShape(skip, 409);
    expect(skip.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'PLACED' });
    expect(skip.body.message).toContain('PLACED');
    expectErrorShape(
      await transition(order.id, { to: 'OUT_FOR_DELIVERY', riderId: rider.id }),
      409,
    );
    expectErrorShape(await transition(order.id, { to: 'PACKED' }, customer.accessToken), 403);
    // A rider cannot see, let alone move, an order not assigned to them.
    expectErrorShape(
      await http.post(
        `/v1/rider/orders/${order.id}/transitions`,
        { to: 'DELIVERED' },
        { token: rider.accessToken },
      ),
      404,
    );

    await transition(order.id, { to: 'PACKED' });
    expectErrorShape(await transition(order.id, { to: 'OUT_FOR_DELIVERY' }), 400); // riderId required
    await onShiftAt(http, rider, order.storeId);
    expectErrorShape(
      await transition(order.id, { to: 'OUT_FOR_DELIVERY', riderId: customer.id }),
      400,
    ); // not a rider
    await transition(order.id, { to: 'OUT_FOR_DELIVERY', riderId: rider.id });
    expectErrorShape(
      await http.post(`/v1/orders/${order.id}/cancel`, {}, { token: customer.accessToken }),
      403,
    );
    expectErrorShape(await transition(order.id, { to: 'DELIVERED' }), 403); // admins do not deliver
    expectErrorShape(
      await http.post(
        `/v1/rider/orders/${order.id}/transitions`,
        { to: 'DELIVERED' },
        { token: otherRider.accessToken },
      ),
      404,
    );
    expect(
      (
        await http.post(
          `/v1/rider/orders/${order.id}/transitions`,
          { to: 'DELIVERED' },
          { token: rider.accessToken },
        )
      ).status,
    ).toBe(200);
    const final = await transition(order.id, { to: 'CANCELLED' });
    expectErrorShape(final, 409);
    expect(final.body.currentStatus).toBe('DELIVERED');
  });

  it("hides other customers' orders (404) and lists only mine", async () => {
    const { products, address } = await shop();
    const alice = await signup(http);
    const bob = await signup(http);
    const { body: order } = await place(alice.accessToken, {
      items: [{ productId: products[0].id, quantity: 1 }],
      address,
    });
    expectErrorShape(await http.get(`/v1/orders/${order.id}`, { token: bob.accessToken }), 404);
    expectErrorShape(
      await http.get(`/v1/orders/${order.id}/events`, { token: bob.accessToken }),
      404,
    );
    expectErrorShape(
      await http.post(`/v1/orders/${order.id}/cancel`, {}, { token: bob.accessToken }),
      404,
    );
    expect((await http.get('/v1/orders', { token: bob.accessToken })).body.items).toEqual([]);
    const forged = Buffer.from(JSON.stringify(['yesterday', 'not-a-uuid'])).toString('base64url');
    expectErrorShape(
      await http.get(`/v1/orders?cursor=${forged}`, { token: bob.accessToken }),
      400,
    );
    expectErrorShape(
      await http.get(`/v1/orders/${order.id}/events?afterSeq=99999999999999`, {
        token: alice.accessToken,
      }),
      400,
    );
    expect(
      (await http.get('/v1/orders', { token: alice.accessToken })).body.items.map((o: any) => o.id),
    ).toEqual([order.id]);
    expect((await http.get(`/v1/orders/${order.id}`, { token: admin.accessToken })).status).toBe(
      200,
    );
  });

  it('rejects client prices and other tampering with 400, merges duplicate lines', async () => {
    const { store, products, address } = await shop();
    const customer = await signup(http);
    const tampered = await place(customer.accessToken, {
      items: [{ productId: products[0].id, quantity: 1, unitPrice: 1 }],
      address,
      total: 1,
    });
    expectErrorShape(tampered, 400);
    expect(tampered.body.message).toEqual(
      expect.arrayContaining([
        'property total should not exist',
        'items.0.property unitPrice should not exist',
      ]),
    );
    expectErrorShape(await place(customer.accessToken, { items: [], address }), 400);
    expectErrorShape(
      await place(customer.accessToken, {
        items: [{ productId: products[0].id, quantity: 0 }],
        address,
      }),
      400,
    );
    expectErrorShape(
      await place(customer.accessToken, {
        items: [{ productId: products[0].id, quantity: 1 }],
        address: { ...address, lat: 123 },
      }),
      400,
    );
    expectErrorShape(
      await http.post(
        '/v1/orders',
        { items: [{ productId: products[0].id, quantity: 1 }], address },
        { token: customer.accessToken },
      ),
      400,
    );

    const merged = await place(customer.accessToken, {
      items: [
        { productId: products[0].id, quantity: 2 },
        { productId: products[0].id, quantity: 3 },
      ],
      address,
    });
    expect(merged.status).toBe(201);
    expect(merged.body.items).toEqual([
      expect.objectContaining({ productId: products[0].id, quantity: 5 }),
    ]);
    expect(await quantityOf(store.id, products[0].id)).toBe(15);
  });

  it('answers short stock with 409 listing every short item, and writes nothing', async () => {
    const { store, products, address } = await shop([3, 1, 10]);
    const customer = await signup(http);
    const [{ count: before }] = await db.query(
      `SELECT count(*)::int AS count FROM orders WHERE user_id = $1`,
      [customer.id],
    );
    const res = await place(customer.accessToken, {
      items: [
        { productId: products[0].id, quantity: 5 },
        { productId: products[1].id, quantity: 2 },
        { productId: products[2].id, quantity: 1 },
      ],
      address,
    });
    expectErrorShape(res, 409);
    expect(res.body.code).toBe('INSUFFICIENT_STOCK');
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        { productId: products[0].id, requested: 5, available: 3 },
        { productId: products[1].id, requested: 2, available: 1 },
      ]),
    );
    expect(res.body.items).toHaveLength(2);
    const [{ count: after }] = await db.query(
      `SELECT count(*)::int AS count FROM orders WHERE user_id = $1`,
      [customer.id],
    );
    expect(after).toBe(before);
    expect(await quantityOf(store.id, products[2].id)).toBe(10);
    expect(await ledgerSum(store.id, products[2].id)).toBe(10);
  });

  it('refuses addresses no store serves (422) and unknown products (422)', async () => {
    const { store, products, address } = await shop();
    const customer = await signup(http);
    const far = north(address, 50_000);
    const res = await place(customer.accessToken, {
      items: [{ productId: products[0].id, quantity: 1 }],
      address: { ...address, ...far },
    });
    expectErrorShape(res, 422);
    expect(res.body.code).toBe('NOT_SERVICEABLE');
    const other = await make.store();
    expectErrorShape(
      await place(customer.accessToken, {
        items: [{ productId: products[0].id, quantity: 1 }],
        address,
        storeId: other.id,
      }),
      422,
    );
    const ghost = await place(customer.accessToken, {
      items: [{ productId: randomUUID(), quantity: 1 }],
      address,
      storeId: store.id,
    });
    expectErrorShape(ghost, 422);
    expect(ghost.body.code).toBe('PRODUCT_UNAVAILABLE');
  });

  describe('idempotency', () => {
    it('replays the same order for the same key and body, 422 for another body, 409 while running', async () => {
      const { store, products, address } = await shop();
      const customer = await signup(http);
      const body = { items: [{ productId: products[0].id, quantity: 1 }], address };
      const key = randomUUID();
      const first = await place(customer.accessToken, body, key);
      const again = await place(
        customer.accessToken,
        { address, items: [{ quantity: 1, productId: products[0].id }] },
        key,
      );
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(await quantityOf(store.id, products[0].id)).toBe(19);

      const different = await place(customer.accessToken, { ...body, note: 'changed' }, key);
      expectErrorShape(different, 422);
      expect(different.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

      // Another customer may use the same key for their own order.
      const other = await signup(http);
      expect((await place(other.accessToken, body, key)).body.id).not.toBe(first.body.id);

      // While a request holds the key (its transaction's advisory lock), a second one is told so.
      const held = randomUUID();
      const holder = db.createQueryRunner();
      await holder.connect();
      await holder.query(`SELECT pg_advisory_lock(hashtext($1), hashtext($2))`, [
        customer.id,
        held,
      ]);
      const busy = await place(customer.accessToken, body, held);
      await holder.query(`SELECT pg_advisory_unlock(hashtext($1), hashtext($2))`, [
        customer.id,
        held,
      ]);
      await holder.release();
      expectErrorShape(busy, 409);
      expect(busy.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    });

    it('lets a key be reused after a failed attempt that wrote nothing', async () => {
      const { store, products, address } = await shop([1]);
      const customer = await signup(http);
      const key = randomUUID();
      const body = { items: [{ productId: products[0].id, quantity: 2 }], address };
      expect((await place(customer.accessToken, body, key)).status).toBe(409);
      await make.stock(store.id, products[0].id, 5);
      expect((await place(customer.accessToken, body, key)).status).toBe(201);
    });

    it('replays a placed order even when placing it again would now be refused', async () => {
      const { store, products, address } = await shop([1]);
      const customer = await signup(http);
      const key = randomUUID();
      const body = { items: [{ productId: products[0].id, quantity: 1 }], address };
      const first = await place(customer.accessToken, body, key);
      expect(first.status).toBe(201);
      // The store has closed since: placing this order now would be 422 NOT_SERVICEABLE.
      const closed = await http.patch(
        `/v1/admin/stores/${store.id}`,
        { active: false },
        { token: admin.accessToken },
      );
      expect(closed.status).toBe(200);
      const fresh = await place(customer.accessToken, body, randomUUID());
      expect(fresh.body.code).toBe('NOT_SERVICEABLE');
      const retry = await place(customer.accessToken, body, key);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(await quantityOf(store.id, products[0].id)).toBe(0);
    });
  });

  describe('concurrency', () => {
    it('200 concurrent buyers of 50 units: exactly 50 orders, stock 0, ledger matches, no 500s', async () => {
      const { store, products, address } = await shop([50]);
      const product = products[0];
      const customers = await Promise.all(Array.from({ length: 50 }, () => signup(http)));
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          place(customers[i % customers.length]!.accessToken, {
            items: [{ productId: product.id, quantity: 1 }],
            address,
          }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(50);
      expect(statuses.filter((s) => s === 409)).toHaveLength(150);
      expect(statuses.filter((s) => s >= 500)).toHaveLength(0);
      expect(await quantityOf(store.id, product.id)).toBe(0);
      expect(await ledgerSum(store.id, product.id)).toBe(0);
      const [{ count }] = await db.query(
        `SELECT count(*)::int AS count FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE oi.product_id = $1`,
        [product.id],
      );
      expect(count).toBe(50);
    });

    it('two concurrent cancels: one 200, one 409, stock returned once', async () => {
      const { store, products, address } = await shop([10]);
      const customer = await signup(http);
      const { body: order } = await place(customer.accessToken, {
        items: [{ productId: products[0].id, quantity: 4 }],
        address,
      });
      expect(await quantityOf(store.id, products[0].id)).toBe(6);
      const [a, b] = await Promise.all([
        http.post(
          `/v1/orders/${order.id}/cancel`,
          { reason: 'changed my mind' },
          { token: customer.accessToken },
        ),
        transition(order.id, { to: 'CANCELLED', reason: 'store_closed' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      expect(await quantityOf(store.id, products[0].id)).toBe(10);
      expect(await ledgerSum(store.id, products[0].id)).toBe(10);
      const released = await db.query(
        `SELECT delta FROM stock_movements WHERE order_id = $1 AND reason = 'order_released'`,
        [order.id],
      );
      expect(released).toEqual([{ delta: 4 }]);
    });

    it('concurrent orders over the same products in opposite orders do not deadlock', async () => {
      const { store, products, address } = await shop([500, 500, 500]);
      const customers = await Promise.all(Array.from({ length: 10 }, () => signup(http)));
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => {
          const lines = products.map((p) => ({ productId: p.id, quantity: 1 }));
          return place(customers[i % 10]!.accessToken, {
            items: i % 2 ? lines.reverse() : lines,
            address,
          });
        }),
      );
      expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
      for (const p of products) expect(await quantityOf(store.id, p.id)).toBe(440);
    });
  });

  it('caps open orders per customer', async () => {
    const limited = await startApi({ MAX_OPEN_ORDERS_PER_CUSTOMER: '2' });
    try {
      const client = new HttpClient(limited.url);
      const { products, address } = await shop();
      const customer = await signup(client);
      const body = { items: [{ productId: products[0].id, quantity: 1 }], address };
      const post = () =>
        client.post('/v1/orders', body, {
          token: customer.accessToken,
          headers: { 'idempotency-key': randomUUID() },
        });
      expect((await post()).status).toBe(201);
      expect((await post()).status).toBe(201);
      const third = await post();
      expectErrorShape(third, 409);
      expect(third.body.code).toBe('TOO_MANY_OPEN_ORDERS');
    } finally {
      await limited.close();
    }
  });

  it('holds the open-order cap under concurrency, each order for a different product', async () => {
    // Orders for different products lock different stock rows: only the cap itself can stop them.
    // Spread over three instances: each queues a customer's placements in-process, so only the
    // database's customer lock keeps instances from beating the cap together.
    const instances = await Promise.all(
      [1, 2, 3].map(() => startApi({ MAX_OPEN_ORDERS_PER_CUSTOMER: '5' })),
    );
    try {
      const clients = instances.map((i) => new HttpClient(i.url));
      // Seven stores at one place, three products each: nothing else the orders share.
      const first = await shop([5, 5, 5]);
      const stores = [first];
      for (let i = 1; i < 7; i++) {
        const store = await make.store({
          serviceRadiusM: 5000,
          latitude: first.store.latitude,
          longitude: first.store.longitude,
        });
        const products = [];
        for (let j = 0; j < 3; j++) {
          const product = await make.product({ maxPerOrder: 100 });
          await make.stock(store.id, product.id, 5);
          products.push(product);
        }
        stores.push({ store, products, address: first.address });
      }
      const lines = stores.flatMap((s) => s.products.map((p) => ({ store: s.store, product: p })));
      const customer = await signup(clients[0]!);
      const results = await Promise.all(
        lines.map(({ store, product }, i) =>
          clients[i % 3]!.post(
            '/v1/orders',
            {
              items: [{ productId: product.id, quantity: 1 }],
              address: first.address,
              storeId: store.id,
            },
            { token: customer.accessToken, headers: { 'idempotency-key': randomUUID() } },
          ),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      for (const refused of results.filter((r) => r.status !== 201)) {
        expectErrorShape(refused, 409);
        expect(refused.body.code).toBe('TOO_MANY_OPEN_ORDERS');
      }
      const [{ open }] = await db.query(
        `SELECT count(*)::int AS open FROM orders WHERE user_id = $1`,
        [customer.id],
      );
      expect(open).toBe(5);
      // Refused orders took no stock.
      let taken = 0;
      for (const { store, product } of lines) taken += 5 - (await quantityOf(store.id, product.id));
      expect(taken).toBe(5);
    } finally {
      await Promise.all(instances.map((i) => i.close()));
    }
  });

  it('keeps serving other customers while one floods an instance with placements', async () => {
    const { products, address } = await shop([100_000, 100_000, 100_000]);
    const flooder = await signup(http);
    const other = await signup(http);
    const body = { items: [{ productId: products[0].id, quantity: 1 }], address };
    const flood = Array.from({ length: 600 }, () => place(flooder.accessToken, body));
    const others = await Promise.all(
      [1, 2].map((i) =>
        place(other.accessToken, { items: [{ productId: products[i].id, quantity: 1 }], address }),
      ),
    );
    const answers = await Promise.all(flood);
    // The flooder is told to slow down (429) beyond a few in progress; nobody gets a 5xx.
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([201, 429]));
    for (const refused of answers.filter((r) => r.status === 429)) {
      expectErrorShape(refused, 429);
      expect(refused.body.code).toBe('RATE_LIMITED');
    }
    expect(others.map((r) => r.status)).toEqual([201, 201]);
  }, 60_000);

  it('places one order per key when the api is killed mid-placement and the client retries', async () => {
    const { store, products, address } = await shop([100, 100, 100]);
    const customers = await Promise.all(Array.from({ length: 8 }, () => signup(http)));
    const attempts = customers.flatMap((c) =>
      products.map((p) => ({
        token: c.accessToken,
        userId: c.id,
        key: randomUUID(),
        body: { items: [{ productId: p.id, quantity: 1 }], address },
      })),
    );
    const env = { MAX_OPEN_ORDERS_PER_CUSTOMER: '1000' };
    const first = await AppProcess.start('api', env);
    const firstHttp = new HttpClient(first.url);
    const inFlight = attempts.map((a) =>
      firstHttp
        .post('/v1/orders', a.body, { token: a.token, headers: { 'idempotency-key': a.key } })
        .catch(() => undefined),
    );
    await new Promise((r) => setTimeout(r, 30));
    first.kill('SIGKILL');
    await first.exited;
    await Promise.all(inFlight);

    const second = await AppProcess.start('api', env);
    try {
      const secondHttp = new HttpClient(second.url);
      const retries = await Promise.all(
        attempts.map((a) =>
          secondHttp.post('/v1/orders', a.body, {
            token: a.token,
            headers: { 'idempotency-key': a.key },
          }),
        ),
      );
      expect(retries.map((r) => r.status)).toEqual(attempts.map(() => 201));
      const ids = retries.map((r) => r.body.id as string);
      expect(new Set(ids).size).toBe(attempts.length);
      const [{ orders }] = await db.query(
        `SELECT count(*)::int AS orders FROM orders WHERE user_id = ANY($1)`,
        [customers.map((c) => c.id)],
      );
      expect(orders).toBe(attempts.length);
      for (const p of products) {
        expect(await quantityOf(store.id, p.id)).toBe(100 - customers.length);
        expect(await ledgerSum(store.id, p.id)).toBe(100 - customers.length);
      }
    } finally {
      second.kill('SIGTERM');
      await second.exited;
    }
  }, 60_000);

  it('publishes committed events (after commit, in seq order) on the order-events channel', async () => {
    const subscriber = new Redis(api.config.redis.url);
    const received: any[] = [];
    await subscriber.subscribe(orderEventsChannel(api.config));
    subscriber.on('message', (_channel, message) => received.push(JSON.parse(message)));
    try {
      const { products, address } = await shop();
      const customer = await signup(http);
      const { body: order } = await place(customer.accessToken, {
        items: [{ productId: products[0].id, quantity: 1 }],
        address,
      });
      await transition(order.id, { to: 'PACKED' });
      await http.post(`/v1/orders/${order.id}/cancel`, {}, { token: customer.accessToken });
      // A failed (rolled back) transition is never announced.
      await transition(order.id, { to: 'PACKED' });
      for (let i = 0; i < 50 && received.filter((e) => e.orderId === order.id).length < 3; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const mine = received.filter((e) => e.orderId === order.id);
      expect(mine.map((e) => [e.seq, e.toStatus])).toEqual([
        [1, 'PLACED'],
        [2, 'PACKED'],
        [3, 'CANCELLED'],
      ]);
      // Each consumer's cursor moves past them once its delivery is confirmed.
      const [{ id: lastId }] = await db.query(
        `SELECT max(id)::text AS id FROM order_events WHERE order_id = $1`,
        [order.id],
      );
      let behind: string[] = [];
      for (let i = 0; i < 50; i++) {
        behind = (
          await db.query(
            `SELECT c.name FROM outbox_consumers c JOIN order_events e ON e.id = $1
              WHERE (c.cursor_tx, c.cursor_id) < (e.tx, e.id)`,
            [lastId],
          )
        ).map((r: { name: string }) => r.name);
        if (behind.length === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(behind).toEqual([]);
    } finally {
      await subscriber.quit();
    }
  });
});
