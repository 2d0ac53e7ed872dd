import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsersService } from '#libs/auth';
import { STORE_DAY_FIGURES_SQL, STORE_DAY_HOURLY_SQL } from '#libs/orders';
import { startApi, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { placeOrder, signup, uniqueEmail, userWithRole } from './harness/factories.js';
import { expectErrorShape, HttpClient } from './harness/http-client.js';

/** The APIs behind the ops console's pages (docs/pages.md): stores, people, the overview. */
describe('ops console APIs', () => {
  let api: RunningApp;
  let http: HttpClient;
  let adminToken: string;
  let customerToken: string;
  let make: CatalogFactory;

  beforeAll(async () => {
    api = await startApi();
    http = new HttpClient(api.url);
    adminToken = (await userWithRole(api.app, http, 'admin')).accessToken;
    customerToken = (await signup(http)).accessToken;
    make = new CatalogFactory(http, adminToken);
  });
  afterAll(() => api.close());

  const asAdmin = {
    get token() {
      return adminToken;
    },
  };

  describe('a store closed now by hand', () => {
    it('stops placement and serviceability at once, and opening it again brings them back', async () => {
      const { store, product, address } = await make.stockedStore();
      const customer = await signup(http);
      const serviceable = async () =>
        (await http.get(`/v1/stores/serviceable?lat=${address.lat}&lng=${address.lng}`)).body.map(
          (s: any) => s.id,
        );
      expect(await serviceable()).toContain(store.id);

      const closed = await http.patch(`/v1/admin/stores/${store.id}`, { closedNow: true }, asAdmin);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ closedNow: true, active: true });
      expect(await serviceable()).not.toContain(store.id);
      const refused = await placeOrder(http, customer.accessToken, {
        productId: product.id,
        quantity: 1,
        address,
      });
      expectErrorShape(refused, 422);
      expect(refused.body.code).toBe('NOT_SERVICEABLE');

      await http.patch(`/v1/admin/stores/${store.id}`, { closedNow: false }, asAdmin);
      expect(await serviceable()).toContain(store.id);
      const placed = await placeOrder(http, customer.accessToken, {
        productId: product.id,
        quantity: 1,
        address,
      });
      expect(placed.status).toBe(201);
    });

    it('closes several stores at once while orders are placed at each: none placed after its close', async () => {
      const stores = await Promise.all([1, 2, 3].map(() => make.stockedStore(100)));
      const customer = await signup(http);
      await Promise.all(
        stores.map((s) =>
          http.patch(`/v1/admin/stores/${s.store.id}`, { closedNow: true }, asAdmin),
        ),
      );
      const attempts = await Promise.all(
        stores.flatMap((s) =>
          [1, 2].map(() =>
            placeOrder(http, customer.accessToken, {
              productId: s.product.id,
              quantity: 1,
              address: s.address,
            }),
          ),
        ),
      );
      expect(attempts.map((a) => a.status)).toEqual(attempts.map(() => 422));
    });

    it('refuses a wrong type, and only admins may change it', async () => {
      const store = await make.store();
      const bad = await http.patch(`/v1/admin/stores/${store.id}`, { closedNow: 'yes' }, asAdmin);
      expectErrorShape(bad, 400);
      expect(String(bad.body.message)).toMatch(/closedNow/);
      expectErrorShape(
        await http.patch(
          `/v1/admin/stores/${store.id}`,
          { closedNow: true },
          { token: customerToken },
        ),
        403,
      );
    });
  });

  describe('the catalog, inactive products included', () => {
    it('lists every product by SKU, finds by SKU or name, pages; admins only', async () => {
      const tag = `QQ${randomUUID().slice(0, 6).toUpperCase()}`;
      const one = await make.product({ sku: `${tag}-A`, name: 'Plain Curd' });
      const two = await make.product({ sku: `${tag}-B`, name: `Mango ${tag.toLowerCase()} Lassi` });
      await http.delete(`/v1/admin/products/${one.id}`, asAdmin);
      const page = await http.get(`/v1/admin/products?q=${tag.toLowerCase()}`, asAdmin);
      expect(page.body.items.map((p: any) => [p.id, p.active])).toEqual([
        [one.id, false],
        [two.id, true],
      ]);
      const first = await http.get(`/v1/admin/products?q=${tag}&limit=1`, asAdmin);
      const next = await http.get(
        `/v1/admin/products?q=${tag}&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
        asAdmin,
      );
      expect(next.body.items.map((p: any) => p.id)).toEqual([two.id]);
      expect((await http.get('/v1/admin/products?q=%25_', asAdmin)).body.items).toEqual([]);
      expectErrorShape(await http.get('/v1/admin/products?cursor=zzz', asAdmin), 400);
      // Products have no "closed now": an unknown field is a 400, never a write.
      expectErrorShape(
        await http.patch(`/v1/admin/products/${two.id}`, { closedNow: true }, asAdmin),
        400,
      );
      expectErrorShape(await http.get('/v1/admin/products', { token: customerToken }), 403);
    });
  });

  describe('finding people', () => {
    it('finds users by part of the email, name or phone, page by page; admins only', async () => {
      const tag = `zz${randomUUID().slice(0, 6)}`;
      const users = app().get(UsersService);
      const made = [];
      for (const [i, phone] of ['+91 98450 11111', '+91 98450 11112'].entries())
        made.push(
          await users.create({
            email: uniqueEmail(`find${i}`),
            password: `pw-${randomUUID()}`,
            name: `Asha ${tag} ${i}`,
            phone: phone.replace(/\s/g, ''),
          }),
        );
      const find = (q: string, extra = '') =>
        http.get(`/v1/admin/users?q=${encodeURIComponent(q)}${extra}`, asAdmin);

      const byName = await find(`asha ${tag.toUpperCase()}`);
      expect(byName.status).toBe(200);
      expect(byName.body.items.map((u: any) => u.id).sort()).toEqual(made.map((u) => u.id).sort());
      const byPhone = await find('98450 1111');
      expect(byPhone.body.items.map((u: any) => u.id)).toEqual(
        expect.arrayContaining(made.map((u) => u.id)),
      );
      const byEmail = await find(made[0]!.email.slice(0, 20).toUpperCase());
      expect(byEmail.body.items.map((u: any) => u.id)).toEqual([made[0]!.id]);

      const first = await find(tag, '&limit=1');
      expect(first.body.items).toHaveLength(1);
      const second = await find(
        tag,
        `&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      );
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      expect(second.body.nextCursor).toBeNull();

      const wildcard = await find('%');
      expect(wildcard.status).toBe(200);
      expect(wildcard.body.items).toHaveLength(0);
      expectErrorShape(await find('as\u200bha'), 400);
      expectErrorShape(await find('x'.repeat(101)), 400);
      expectErrorShape(await http.get(`/v1/admin/users?q=${tag}`, { token: customerToken }), 403);
    });

    it('disabling a user ends their API token at once; a role change shows in the next find', async () => {
      const victim = await signup(http, 'victim');
      expect((await http.get('/v1/orders', { token: victim.accessToken })).status).toBe(200);
      const disabled = await http.patch(
        `/v1/admin/users/${victim.id}`,
        { disabled: true },
        asAdmin,
      );
      expect(disabled.body).toMatchObject({ disabled: true });
      expectErrorShape(await http.get('/v1/orders', { token: victim.accessToken }), 401);

      await http.patch(`/v1/admin/users/${victim.id}`, { role: 'rider' }, asAdmin);
      const found = await http.get(
        `/v1/admin/users?q=${encodeURIComponent(victim.email)}`,
        asAdmin,
      );
      expect(found.body.items).toEqual([
        expect.objectContaining({ role: 'rider', disabled: true }),
      ]);
    });
  });

  describe('the overview', () => {
    // 2026-01-15 in Asia/Kolkata (UTC+05:30) runs from 2026-01-14T18:30Z to 2026-01-15T18:30Z.
    const DAY = '2026-01-15';

    async function fixedDay() {
      const db = app().get(DataSource);
      const a = await make.store({
        timezone: 'Asia/Kolkata',
        code: `OV-A-${randomUUID().slice(0, 6)}`,
      });
      const b = await make.store({
        timezone: 'Asia/Kolkata',
        code: `OV-B-${randomUUID().slice(0, 6)}`,
      });
      const customer = await signup(http);
      const rider = await userWithRole(api.app, http, 'rider');
      const order = async (
        storeId: string,
        o: {
          placed: string;
          status: string;
          total: number;
          refund?: number;
          deliveredAfterS?: number;
          promiseS?: number;
          shortPicks?: number;
          /** An online order; `paid`: its capture is in its timeline. */
          online?: { paid: boolean };
        },
      ) => {
        const placed = new Date(o.placed);
        const promised = new Date(placed.getTime() + (o.promiseS ?? 900) * 1000);
        const [{ id }] = await db.query(
          `INSERT INTO orders (user_id, store_id, rider_id, status, address, subtotal_minor, delivery_fee_minor,
                               total_minor, refund_due_minor, promised_by, placed_at, payment_method)
           VALUES ($1, $2, $3, $4, '{"lat":0,"lng":0}', $5, 0, $5, $6, $7, $8, $9) RETURNING id`,
          [
            customer.id,
            storeId,
            rider.id,
            o.status,
            o.total,
            o.refund ?? 0,
            promised,
            placed,
            o.online ? 'online' : 'cod',
          ],
        );
        let seq = 0;
        const event = (type: string, to: string | null, at: Date) =>
          db.query(
            `INSERT INTO order_events (order_id, seq, type, to_status, actor_role, created_at)
             VALUES ($1, $2, $3, $4, 'system', $5)`,
            [id, ++seq, type, to, at],
          );
        await event('order.placed', o.online ? 'AWAITING_PAYMENT' : 'PLACED', placed);
        if (o.online?.paid) await event('payment.captured', 'PLACED', placed);
        for (let i = 0; i < (o.shortPicks ?? 0); i++)
          await event('order.short_picked', null, placed);
        if (o.deliveredAfterS !== undefined)
          await event(
            'order.delivered',
            'DELIVERED',
            new Date(placed.getTime() + o.deliveredAfterS * 1000),
          );
        return id;
      };
      // The evening before (IST 23:30 on the 14th) and just after midnight: not this day.
      await order(a.id, {
        placed: '2026-01-14T18:00:00Z',
        status: 'DELIVERED',
        total: 99_900,
        deliveredAfterS: 60,
      });
      await order(a.id, {
        placed: '2026-01-15T18:35:00Z',
        status: 'DELIVERED',
        total: 99_900,
        deliveredAfterS: 60,
      });
      // The day: 09:00, 09:10, 14:00, 14:30, 23:55 IST.
      await order(a.id, {
        placed: '2026-01-15T03:30:00Z',
        status: 'DELIVERED',
        total: 10_000,
        deliveredAfterS: 600,
      });
      await order(a.id, {
        placed: '2026-01-15T03:40:00Z',
        status: 'DELIVERED',
        total: 20_000,
        refund: 3_000,
        deliveredAfterS: 1200,
        shortPicks: 2,
      });
      await order(a.id, {
        placed: '2026-01-15T08:30:00Z',
        status: 'DELIVERED',
        total: 5_000,
        deliveredAfterS: 1800,
      });
      await order(a.id, { placed: '2026-01-15T09:00:00Z', status: 'CANCELLED', total: 7_000 });
      await order(a.id, {
        placed: '2026-01-15T18:25:00Z',
        status: 'OUT_FOR_DELIVERY',
        total: 4_000,
      });
      // Online: one paid and packed; one waiting for its payment, one whose payment timed out
      // (neither brought anything in).
      await order(a.id, {
        placed: '2026-01-15T08:40:00Z',
        status: 'PACKED',
        total: 9_000,
        online: { paid: true },
      });
      await order(a.id, {
        placed: '2026-01-15T08:50:00Z',
        status: 'AWAITING_PAYMENT',
        total: 6_000,
        online: { paid: false },
      });
      await order(a.id, {
        placed: '2026-01-15T08:55:00Z',
        status: 'CANCELLED',
        total: 8_000,
        online: { paid: false },
      });
      await order(b.id, {
        placed: '2026-01-15T05:00:00Z',
        status: 'DELIVERED',
        total: 1_234,
        deliveredAfterS: 300,
      });
      return { a, b };
    }

    it("counts each store's local day: orders, time to deliver against the promise, short picks, net revenue (nothing from unpaid online orders), by hour", async () => {
      const { a, b } = await fixedDay();
      const res = await http.get(`/v1/admin/overview?date=${DAY}&storeId=${a.id}`, asAdmin);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      const [day] = res.body;
      expect(day).toMatchObject({
        storeId: a.id,
        timezone: 'Asia/Kolkata',
        date: DAY,
        placed: 8,
        delivered: 3,
        cancelled: 2,
        open: 3,
        deliverP50Seconds: 1200,
        deliverP90Seconds: 1680, // 1200 + 0.8 × (1800 − 1200)
        promisedP50Seconds: 900,
        deliveredLate: 2,
        shortPicks: 2,
        chargedMinor: 10_000 + 23_000 + 5_000 + 7_000 + 4_000 + 9_000,
        refundedMinor: 3_000 + 7_000,
        netRevenueMinor: 10_000 + 20_000 + 5_000 + 4_000 + 9_000,
        currency: 'INR',
      });
      expect(day.hourly).toHaveLength(24);
      const busy = day.hourly.filter((h: any) => h.placed > 0);
      expect(busy).toEqual([
        { hour: 9, placed: 2, delivered: 2, netRevenueMinor: 30_000 },
        { hour: 14, placed: 5, delivered: 1, netRevenueMinor: 5_000 + 9_000 },
        { hour: 23, placed: 1, delivered: 0, netRevenueMinor: 4_000 },
      ]);
      expect(day.hourly.reduce((n: number, h: any) => n + h.netRevenueMinor, 0)).toBe(
        day.netRevenueMinor,
      );

      const all = await http.get(`/v1/admin/overview?date=${DAY}`, asAdmin);
      const other = all.body.find((s: any) => s.storeId === b.id);
      expect(other).toMatchObject({
        placed: 1,
        delivered: 1,
        netRevenueMinor: 1_234,
        deliverP50Seconds: 300,
      });
    });

    it('reads orders and their events through indexes only (no sequential scan of orders or order_events)', async () => {
      const { a } = await fixedDay();
      const runner = app().get(DataSource).createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        // Test tables are small enough that a sequential scan would win: forbid it to see whether
        // an index serves every read of the big tables.
        await runner.query('SET LOCAL enable_seqscan = off');
        for (const statement of [STORE_DAY_FIGURES_SQL, STORE_DAY_HOURLY_SQL]) {
          const [{ 'QUERY PLAN': plan }] = await runner.query(
            `EXPLAIN (FORMAT JSON) ${statement}`,
            [DAY, a.id],
          );
          const text = JSON.stringify(plan);
          expect(text).toContain('orders_store_placed_idx');
          const scans = [
            ...text.matchAll(/"Node Type":"Seq Scan"[^}]*?"Relation Name":"(\w+)"/g),
          ].map((m) => m[1]);
          expect(scans.filter((r) => r === 'orders' || r === 'order_events')).toEqual([]);
        }
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });

    it("is today in the store's time zone when no date is given, with a quiet store all zeros", async () => {
      const quiet = await make.store({ timezone: 'Pacific/Kiritimati' });
      const res = await http.get(`/v1/admin/overview?storeId=${quiet.id}`, asAdmin);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(
        new Date(),
      );
      expect(res.body[0]).toMatchObject({
        date: today,
        placed: 0,
        netRevenueMinor: 0,
        shortPicks: 0,
      });
      expect(res.body[0].deliverP50Seconds).toBeUndefined();
    });

    it('refuses days that do not exist and wrong types with a 400 naming the field; admins only', async () => {
      for (const date of [
        '2026-02-30',
        '0000-01-01',
        '2026-1-5',
        "2026-01-01'",
        'today',
        '2026-01-01\u0000',
      ])
        expect(
          (await http.get(`/v1/admin/overview?date=${encodeURIComponent(date)}`, asAdmin)).status,
        ).toBe(400);
      const bad = await http.get('/v1/admin/overview?date=2026-02-30', asAdmin);
      expect(String(bad.body.message)).toMatch(/date/);
      expectErrorShape(await http.get('/v1/admin/overview?storeId=nope', asAdmin), 400);
      expectErrorShape(await http.get('/v1/admin/overview', { token: customerToken }), 403);
      expectErrorShape(await http.get('/v1/admin/overview'), 401);
    });
  });

  describe("hostile input on every console form's endpoint", () => {
    it('refuses NUL, huge, wrong-typed and unknown values with a 4xx in the error shape, never a 5xx', async () => {
      const { store, product } = await make.stockedStore();
      const category = await make.category();
      const promotion = (
        await http.post('/v1/admin/promotions', { name: 'Hostile', kind: 'free_delivery' }, asAdmin)
      ).body;
      const victim = await signup(http, 'hostile');
      // Far past every field's limit, under the body limit (a larger body is a 413, below).
      const huge = 'x'.repeat(20_000);
      const values: unknown[] = [
        '\u0000',
        'a\u0000b',
        huge,
        -1,
        1.5,
        2 ** 53,
        [],
        {},
        null,
        true,
        '\ud800',
        '<script>alert(1)</script>',
      ];
      const forms: [string, string, string[]][] = [
        [
          'POST',
          '/v1/admin/products',
          [
            'sku',
            'name',
            'description',
            'categoryId',
            'priceMinor',
            'unitLabel',
            'imageUrl',
            'maxPerOrder',
            'taxRateBp',
            'active',
          ],
        ],
        [
          'PATCH',
          `/v1/admin/products/${product.id}`,
          ['name', 'priceMinor', 'imageUrl', 'taxRateBp', 'active'],
        ],
        ['POST', '/v1/admin/categories', ['name', 'slug', 'parentId']],
        [
          'POST',
          `/v1/admin/stores/${store.id}/stock/${product.id}/adjustments`,
          ['delta', 'reason', 'note'],
        ],
        ['PUT', `/v1/admin/stores/${store.id}/stock/${product.id}`, ['quantity', 'reason']],
        [
          'POST',
          '/v1/admin/promotions',
          ['name', 'code', 'kind', 'percentBp', 'amountMinor', 'startsAt', 'usageLimit'],
        ],
        [
          'PATCH',
          `/v1/admin/promotions/${promotion.id}`,
          ['paused', 'percentBp', 'endsAt', 'code'],
        ],
        [
          'PATCH',
          `/v1/admin/stores/${store.id}`,
          ['serviceRadiusM', 'maxOpenOrders', 'opensAt', 'timezone', 'closedNow', 'active'],
        ],
        ['PATCH', `/v1/admin/users/${victim.id}`, ['role', 'disabled']],
      ];
      const statuses = new Set<number>();
      for (const [method, path, fields] of forms)
        for (const field of fields)
          for (const value of values) {
            const body = {
              ...(method === 'POST' && path.endsWith('/products')
                ? { sku: 'H-1', name: 'h', categoryId: category.id, priceMinor: 1, unitLabel: '1' }
                : {}),
              [field]: value,
            };
            const res = await http.request(method, path, body, asAdmin);
            statuses.add(res.status);
            if (res.status >= 500 || (res.status >= 400 && res.body?.requestId === undefined))
              throw new Error(
                `${method} ${path} ${field}=${JSON.stringify(value).slice(0, 40)}: ${res.status}`,
              );
          }
      expect([...statuses].every((s) => s < 500)).toBe(true);
      // Query strings of the lists and the overview.
      for (const path of [
        `/v1/admin/users?q=${encodeURIComponent(huge.slice(0, 5000))}`,
        '/v1/admin/users?q=%00',
        '/v1/admin/users?q=a&q=b',
        '/v1/admin/products?q=%00',
        '/v1/admin/products?limit=1e9',
        '/v1/admin/overview?date=2026-13-01',
        '/v1/admin/overview?date[]=1',
        '/v1/admin/overview?storeId=%00',
      ]) {
        const res = await http.get(path, asAdmin);
        expect([path, res.status]).toEqual([path, 400]);
      }
      const tooLarge = await fetch(`${api.url}/v1/admin/products/${product.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(3_000_000) }),
      });
      expect(tooLarge.status).toBe(413);
      // A malformed JSON body and a JSON of the wrong shape.
      const bad = await http.request('PATCH', `/v1/admin/stores/${store.id}`, undefined, {
        ...asAdmin,
        raw: '{"closedNow":',
      });
      expect(bad.status).toBe(400);
      const list = await http.request('PATCH', `/v1/admin/stores/${store.id}`, undefined, {
        ...asAdmin,
        raw: '[1,2]',
      });
      expect(list.status).toBeGreaterThanOrEqual(400);
      expect(list.status).toBeLessThan(500);
    });

    it('cross-site: no bearer token, no way in (the session cookie never reaches /v1, the token exchange refuses other origins)', async () => {
      const store = await make.store();
      const patched = await fetch(`${api.url}/v1/admin/stores/${store.id}`, {
        method: 'PATCH',
        headers: {
          'content-type': 'application/json',
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        },
        body: JSON.stringify({ closedNow: true }),
      });
      expect(patched.status).toBe(401);
      const token = await fetch(`${api.url}/admin/session/token`, {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });
      expect(token.status).toBe(403);
      const after = (await http.get('/v1/admin/stores', asAdmin)).body.find(
        (s: any) => s.id === store.id,
      );
      expect(after.closedNow).toBe(false);
    });
  });

  function app() {
    return api.app;
  }
});
