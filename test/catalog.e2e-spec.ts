import { DataSource } from 'typeorm';
import { apiOnPrivateRedis, startApi, type RunningApp } from './harness/apps.js';
import { CatalogFactory, north, randomTown } from './harness/catalog-factory.js';
import { signup, userWithRole } from './harness/factories.js';
import { expectErrorShape, HttpClient } from './harness/http-client.js';

describe('catalog and inventory', () => {
  let api: RunningApp;
  let http: HttpClient;
  let adminToken: string;
  let make: CatalogFactory;

  beforeAll(async () => {
    api = await startApi();
    http = new HttpClient(api.url);
    adminToken = (await userWithRole(api.app, http, 'admin')).accessToken;
    make = new CatalogFactory(http, adminToken);
  });
  afterAll(() => api.close());

  const admin = {
    get token() {
      return adminToken;
    },
  };

  describe('public listing and search', () => {
    it('lists products with money in minor units and per-store availability', async () => {
      const category = await make.category();
      const milk = await make.product({
        categoryId: category.id,
        name: 'Toned Milk',
        priceMinor: 2800,
        unitLabel: '500 ml',
      });
      const curd = await make.product({ categoryId: category.id, name: 'Fresh Curd' });
      const store = await make.store();
      await make.stock(store.id, milk.id, 7);

      const res = await http.get(`/v1/products?category=${category.slug}&storeId=${store.id}`);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({ id: curd.id, available: 0 }),
        expect.objectContaining({
          id: milk.id,
          name: 'Toned Milk',
          price: { amount: 2800, currency: 'INR' },
          unit: '500 ml',
          available: 7,
        }),
      ]);
      const inStock = await http.get(
        `/v1/products?category=${category.slug}&storeId=${store.id}&inStock=true`,
      );
      expect(inStock.body.items.map((p: any) => p.id)).toEqual([milk.id]);

      const one = await http.get(`/v1/products/${milk.id}?storeId=${store.id}`);
      expect(one.body).toMatchObject({ id: milk.id, available: 7 });
      expect((await http.get(`/v1/products/${milk.id}`)).body.available).toBeUndefined();
    });

    it('searches names by prefix and by word, case-insensitively, and includes subcategories', async () => {
      const parent = await make.category();
      const child = await make.category({ parentId: parent.id });
      const tag = `zq${Date.now().toString(36)}`;
      const a = await make.product({ categoryId: child.id, name: `${tag}alpha Basmati Rice` });
      const b = await make.product({ categoryId: parent.id, name: `Organic ${tag}beta Rice` });
      await make.product({ categoryId: parent.id, name: `Sugar ${tag}` });

      const prefix = await http.get(`/v1/products?q=${tag.toUpperCase()}ALPHA`);
      expect(prefix.body.items.map((p: any) => p.id)).toEqual([a.id]);
      const word = await http.get(`/v1/products?q=${tag}beta`);
      expect(word.body.items.map((p: any) => p.id)).toEqual([b.id]);
      const inParent = await http.get(`/v1/products?category=${parent.slug}&limit=100`);
      expect(inParent.body.items).toHaveLength(3);
      const wildcard = await http.get(`/v1/products?q=%25&category=${parent.slug}`);
      expect(wildcard.body.items).toHaveLength(0);

      const tree = await http.get('/v1/categories');
      const node = tree.body.find((c: any) => c.id === parent.id);
      expect(node.children.map((c: any) => c.id)).toEqual([child.id]);
    });

    it('paginates with a stable order: no duplicates or gaps even while products are added', async () => {
      const category = await make.category();
      const ids = new Set<string>();
      for (let i = 0; i < 7; i++)
        ids.add((await make.product({ categoryId: category.id, name: `Page item ${i}` })).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let page = 0;
      do {
        const res: any = await http.get(
          `/v1/products?category=${category.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((p: any) => p.id));
        cursor = res.body.nextCursor;
        // Products appear mid-walk, before and after the cursor.
        await make.product({
          categoryId: category.id,
          name: `Page item ${page === 0 ? '0a' : 'zz'}${page}`,
        });
        page++;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of ids) expect(seen).toContain(id);
    });

    it('hides inactive products and 404s unknown ones', async () => {
      const product = await make.product();
      expect((await http.get(`/v1/products/${product.id}`)).status).toBe(200);
      const deactivated = await http.delete(`/v1/admin/products/${product.id}`, {
        token: admin.token,
      });
      expect(deactivated.body.active).toBe(false);
      expectErrorShape(await http.get(`/v1/products/${product.id}`), 404);
      expectErrorShape(await http.get('/v1/products/00000000-0000-4000-8000-000000000000'), 404);
      // Still there for admins (orders keep referencing it).
      expect(
        (await http.get(`/v1/admin/products/${product.id}`, { token: admin.token })).status,
      ).toBe(200);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['storeId=nope', 'storeId'],
      ['inStock=maybe', 'inStock'],
      ['cursor=%%%', 'cursor'],
      [
        `cursor=${Buffer.from(JSON.stringify(['x', 'not-a-uuid'])).toString('base64url')}`,
        'cursor',
      ],
      ['sort=price', 'sort'],
    ])('rejects %s with a 400 naming the parameter', async (query, name) => {
      const res = await http.get(`/v1/products?${query}`);
      expectErrorShape(res, 400);
      expect(JSON.stringify(res.body.message)).toContain(name);
    });

    it('404s an unknown store id', async () => {
      expectErrorShape(
        await http.get('/v1/products?storeId=00000000-0000-4000-8000-000000000000'),
        404,
      );
    });
  });

  describe('serviceability', () => {
    it('returns open stores covering the point, nearest first, with distances', async () => {
      const town = randomTown();
      const near = await make.store({
        latitude: town.lat,
        longitude: town.lng,
        serviceRadiusM: 3000,
      });
      const far = await make.store({ ...latLng(north(town, 2000)), serviceRadiusM: 3000 });
      await make.store({ ...latLng(north(town, 6000)), serviceRadiusM: 3000 }); // out of range
      const closed = await make.store({ latitude: town.lat, longitude: town.lng, ...closedNow() });
      await make.store({ latitude: town.lat, longitude: town.lng, active: false });

      const res = await http.get(`/v1/stores/serviceable?lat=${town.lat}&lng=${town.lng}`);
      expect(res.status).toBe(200);
      expect(res.body.map((s: any) => s.id)).toEqual([near.id, far.id]);
      expect(res.body[0].distanceM).toBe(0);
      expect(res.body[1].distanceM).toBeGreaterThan(1990);
      expect(res.body[1].distanceM).toBeLessThan(2010);
      expect(res.body.map((s: any) => s.id)).not.toContain(closed.id);
    });

    it('covers the edge of the radius and not a step beyond', async () => {
      const town = randomTown();
      const store = await make.store({
        latitude: town.lat,
        longitude: town.lng,
        serviceRadiusM: 1000,
      });
      const inside = north(town, 995);
      const outside = north(town, 1010);
      expect(
        (await http.get(`/v1/stores/serviceable?lat=${inside.lat}&lng=${inside.lng}`)).body.map(
          (s: any) => s.id,
        ),
      ).toEqual([store.id]);
      expect(
        (await http.get(`/v1/stores/serviceable?lat=${outside.lat}&lng=${outside.lng}`)).body,
      ).toEqual([]);
    });

    it('rejects bad coordinates', async () => {
      expectErrorShape(await http.get('/v1/stores/serviceable?lat=91&lng=10'), 400);
      expectErrorShape(await http.get('/v1/stores/serviceable?lat=abc&lng=10'), 400);
      expectErrorShape(await http.get('/v1/stores/serviceable?lng=10'), 400);
    });
  });

  describe('admin', () => {
    it('is admin only', async () => {
      const customer = await signup(http);
      expectErrorShape(
        await http.post(
          '/v1/admin/categories',
          { name: 'X', slug: 'x' },
          { token: customer.accessToken },
        ),
        403,
      );
      expectErrorShape(await http.post('/v1/admin/categories', { name: 'X', slug: 'x' }), 401);
      expectErrorShape(await http.get('/v1/admin/stores', { token: customer.accessToken }), 403);
    });

    it('updates and deletes categories, refusing duplicates, cycles and non-empty deletes', async () => {
      const parent = await make.category();
      const child = await make.category({ parentId: parent.id });
      expectErrorShape(
        await http.post(
          '/v1/admin/categories',
          { name: 'Dup', slug: parent.slug },
          { token: admin.token },
        ),
        409,
      );
      expectErrorShape(
        await http.patch(
          `/v1/admin/categories/${parent.id}`,
          { parentId: child.id },
          { token: admin.token },
        ),
        409,
      );
      expectErrorShape(
        await http.delete(`/v1/admin/categories/${parent.id}`, { token: admin.token }),
        409,
      );
      expect(
        (
          await http.patch(
            `/v1/admin/categories/${child.id}`,
            { name: 'Renamed' },
            { token: admin.token },
          )
        ).body.name,
      ).toBe('Renamed');
      expect(
        (await http.delete(`/v1/admin/categories/${child.id}`, { token: admin.token })).status,
      ).toBe(204);
      expect(
        (await http.delete(`/v1/admin/categories/${parent.id}`, { token: admin.token })).status,
      ).toBe(204);
    });

    it('validates products: integer paise only, unique SKUs, known category', async () => {
      const category = await make.category();
      const base = { sku: 'VAL-1', name: 'Valid', categoryId: category.id, unitLabel: '1 kg' };
      const float = await http.post(
        '/v1/admin/products',
        { ...base, priceMinor: 45.5 },
        { token: admin.token },
      );
      expectErrorShape(float, 400);
      expect(float.body.message).toContain('priceMinor must be an integer number of paise');
      expectErrorShape(
        await http.post('/v1/admin/products', { ...base, priceMinor: -1 }, { token: admin.token }),
        400,
      );
      const product = await make.product({ categoryId: category.id });
      expectErrorShape(
        await http.post(
          '/v1/admin/products',
          { ...base, sku: product.sku, priceMinor: 100 },
          { token: admin.token },
        ),
        409,
      );
      expectErrorShape(
        await http.post(
          '/v1/admin/products',
          { ...base, categoryId: '00000000-0000-4000-8000-000000000000', priceMinor: 1 },
          { token: admin.token },
        ),
        404,
      );
    });
  });

  describe('stock and its ledger', () => {
    const ledgerSum = async (storeId: string, productId: string) => {
      const ds = api.app.get(DataSource);
      const [row] = await ds.query(
        `SELECT COALESCE(SUM(delta), 0)::int AS sum FROM stock_movements WHERE store_id = $1 AND product_id = $2`,
        [storeId, productId],
      );
      return row.sum as number;
    };

    it('sets and adjusts stock, each change in the ledger, never below zero', async () => {
      const store = await make.store();
      const product = await make.product();
      const base = `/v1/admin/stores/${store.id}/stock/${product.id}`;
      expect(
        (await http.put(base, { quantity: 12, reason: 'restock' }, { token: admin.token })).body
          .quantity,
      ).toBe(12);
      expect(
        (
          await http.post(
            `${base}/adjustments`,
            { delta: -5, reason: 'adjustment' },
            { token: admin.token },
          )
        ).body.quantity,
      ).toBe(7);
      const refused = await http.post(
        `${base}/adjustments`,
        { delta: -8, reason: 'adjustment' },
        { token: admin.token },
      );
      expectErrorShape(refused, 409);
      expect(refused.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', available: 7 });
      expect(
        (await http.put(base, { quantity: 3, reason: 'adjustment' }, { token: admin.token })).body
          .quantity,
      ).toBe(3);
      expect(await ledgerSum(store.id, product.id)).toBe(3);

      const ledger = await http.get(`${base}/movements?limit=10`, { token: admin.token });
      expect(ledger.body.items.map((m: any) => [m.delta, m.quantityAfter, m.reason])).toEqual([
        [-4, 3, 'adjustment'],
        [-5, 7, 'adjustment'],
        [12, 12, 'restock'],
      ]);
      const list = await http.get(`/v1/admin/stores/${store.id}/stock?lowStock=5`, {
        token: admin.token,
      });
      expect(list.body.items).toEqual([
        expect.objectContaining({ productId: product.id, quantity: 3 }),
      ]);
    });

    it('never goes negative under 20 concurrent negative adjustments', async () => {
      const store = await make.store();
      const product = await make.product();
      await make.stock(store.id, product.id, 10);
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          http.post(
            `/v1/admin/stores/${store.id}/stock/${product.id}/adjustments`,
            { delta: -1, reason: 'adjustment' },
            { token: admin.token },
          ),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 409)).toHaveLength(10);
      const [row] = await api.app
        .get(DataSource)
        .query(`SELECT quantity FROM store_stock WHERE store_id = $1 AND product_id = $2`, [
          store.id,
          product.id,
        ]);
      expect(row.quantity).toBe(0);
      expect(await ledgerSum(store.id, product.id)).toBe(0);
    });

    it('rejects bad stock input and unknown stores/products', async () => {
      const store = await make.store();
      const product = await make.product();
      const base = `/v1/admin/stores/${store.id}/stock/${product.id}`;
      expectErrorShape(
        await http.put(base, { quantity: -1, reason: 'restock' }, { token: admin.token }),
        400,
      );
      const forged = Buffer.from(JSON.stringify(['12abc'])).toString('base64url');
      expectErrorShape(
        await http.get(`${base}/movements?cursor=${forged}`, { token: admin.token }),
        400,
      );
      expectErrorShape(
        await http.get(`/v1/admin/stores/${store.id}/stock?lowStock=99999999999`, {
          token: admin.token,
        }),
        400,
      );
      expectErrorShape(
        await http.put(base, { quantity: 1, reason: 'order_reserved' }, { token: admin.token }),
        400,
      );
      expectErrorShape(
        await http.post(
          `${base}/adjustments`,
          { delta: 0, reason: 'restock' },
          { token: admin.token },
        ),
        400,
      );
      expectErrorShape(
        await http.put(
          `/v1/admin/stores/00000000-0000-4000-8000-000000000000/stock/${product.id}`,
          { quantity: 1, reason: 'restock' },
          { token: admin.token },
        ),
        404,
      );
    });
  });

  describe('cache', () => {
    it('shows an admin change on the very next public read', async () => {
      const category = await make.category();
      const product = await make.product({ categoryId: category.id, name: 'Before Rename' });
      const store = await make.store();
      await make.stock(store.id, product.id, 5);
      const url = `/v1/products?category=${category.id}&storeId=${store.id}`;
      expect((await http.get(url)).body.items[0]).toMatchObject({
        name: 'Before Rename',
        available: 5,
      });
      expect((await http.get(url)).body.items[0].name).toBe('Before Rename'); // now cached

      await http.patch(
        `/v1/admin/products/${product.id}`,
        { name: 'After Rename', priceMinor: 999 },
        { token: admin.token },
      );
      expect((await http.get(url)).body.items[0]).toMatchObject({
        name: 'After Rename',
        price: { amount: 999, currency: 'INR' },
      });
      await make.stock(store.id, product.id, 9);
      expect((await http.get(url)).body.items[0].available).toBe(9);
      expect((await http.get(`/v1/products/${product.id}`)).body.name).toBe('After Rename');
    });

    it('shows an admin change made through another instance on the next read', async () => {
      const other = await startApi();
      try {
        const otherHttp = new HttpClient(other.url);
        const product = await make.product({ name: 'Seen Everywhere' });
        const url = `/v1/products/${product.id}`;
        expect((await otherHttp.get(url)).body.name).toBe('Seen Everywhere');
        expect((await otherHttp.get(url)).body.name).toBe('Seen Everywhere'); // cached there
        for (const name of ['Renamed Once', 'Renamed Twice']) {
          await http.patch(url.replace('/v1/', '/v1/admin/'), { name }, { token: admin.token });
          expect((await otherHttp.get(url)).body.name).toBe(name);
        }
      } finally {
        await other.close();
      }
    });
  });
});

describe('catalog reads with Redis stopped', () => {
  const outage = apiOnPrivateRedis();

  it('answers from PostgreSQL: data changed in the database only, on URLs no cache holds', async () => {
    const http = new HttpClient(outage.api.url);
    const admin = await userWithRole(outage.api.app, http, 'admin');
    const make = new CatalogFactory(http, admin.accessToken);
    const tag = `zr${Date.now().toString(36)}`;
    const category = await make.category({ name: `Before ${tag}` });
    const product = await make.product({ categoryId: category.id, name: `Before ${tag}` });
    const store = await make.store();
    await make.stock(store.id, product.id, 4);
    // Cached in this process and in Redis under the old names.
    expect((await http.get(`/v1/products/${product.id}`)).body.name).toBe(`Before ${tag}`);

    await outage.redis.stop();
    // Behind every cache's back: only a read of PostgreSQL can return these values.
    const db = outage.api.app.get(DataSource);
    await db.query(`UPDATE products SET name = $1 WHERE id = $2`, [`After ${tag}`, product.id]);
    await db.query(`UPDATE categories SET name = $1 WHERE id = $2`, [`After ${tag}`, category.id]);
    await db.query(`UPDATE store_stock SET quantity = 3 WHERE store_id = $1 AND product_id = $2`, [
      store.id,
      product.id,
    ]);
    // With its ledger row, as every stock change has (the ledger stays exact for other suites).
    await db.query(
      `INSERT INTO stock_movements (store_id, product_id, delta, quantity_after, reason, note)
       VALUES ($1, $2, -1, 3, 'adjustment', 'catalog outage test')`,
      [store.id, product.id],
    );

    const search = await http.get(`/v1/products?q=${tag}`);
    expect(search.status).toBe(200);
    expect(search.body.items).toEqual([
      expect.objectContaining({ id: product.id, name: `After ${tag}` }),
    ]);
    const one = await http.get(`/v1/products/${product.id}?storeId=${store.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ name: `After ${tag}`, available: 3 });
    const tree = await http.get('/v1/categories');
    expect(tree.status).toBe(200);
    expect(tree.body.find((c: any) => c.id === category.id)?.name).toBe(`After ${tag}`);
  });
});

function latLng(point: { lat: number; lng: number }) {
  return { latitude: point.lat, longitude: point.lng };
}

/** Opening hours that exclude the current time in the store's timezone. */
function closedNow() {
  const hour = (new Date().getUTCHours() + 5 + 2) % 24; // IST is UTC+5:30; open 2 h from now
  const pad = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
  return { opensAt: pad(hour), closesAt: pad(hour + 1) };
}
