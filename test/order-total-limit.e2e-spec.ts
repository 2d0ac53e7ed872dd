import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MAX_ORDER_TOTAL_MINOR } from '#libs/orders';
import { startApi, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { signup, userWithRole, type TestUser } from './harness/factories.js';
import { expectErrorShape, HttpClient } from './harness/http-client.js';

const MAX_PRICE_MINOR = 10_000_000; // CreateProductDto's maximum (₹1,00,000)
const MAX_QUANTITY = 100; // OrderLineDto's maximum

/**
 * Quantities × prices that each pass validation can add up past what an order may total (and past
 * the int4 money columns: 3 lines × 100 × ₹1,00,000 = 3 × 10⁹ paise): a clear 422, nothing written.
 */
describe('an order over the total limit', () => {
  let api: RunningApp;
  let http: HttpClient;
  let make: CatalogFactory;
  let customer: TestUser;

  beforeAll(async () => {
    api = await startApi();
    http = new HttpClient(api.url);
    const admin = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
    customer = await signup(http);
  });
  afterAll(() => api.close());

  async function shop(prices: number[]) {
    const store = await make.store({ serviceRadiusM: 5000 });
    const products = [];
    for (const priceMinor of prices) {
      const product = await make.product({ priceMinor, maxPerOrder: MAX_QUANTITY });
      await make.stock(store.id, product.id, MAX_QUANTITY);
      products.push(product);
    }
    const address = {
      line1: 'x',
      city: 'y',
      pincode: '560038',
      lat: store.latitude,
      lng: store.longitude,
    };
    return { store, products, address };
  }
  const place = (body: unknown) =>
    http.post('/v1/orders', body, {
      token: customer.accessToken,
      headers: { 'idempotency-key': randomUUID() },
    });

  it('answers 422 ORDER_TOO_LARGE naming the limit, and writes nothing', async () => {
    const { store, products, address } = await shop([
      MAX_PRICE_MINOR,
      MAX_PRICE_MINOR,
      MAX_PRICE_MINOR,
    ]);
    const items = products.map((p) => ({ productId: p.id, quantity: MAX_QUANTITY }));
    const res = await place({ items, address });
    expectErrorShape(res, 422);
    expect(res.body.code).toBe('ORDER_TOO_LARGE');
    expect(res.body.message).toContain(`₹${(MAX_ORDER_TOTAL_MINOR / 100).toLocaleString('en-IN')}`);

    const db = api.app.get(DataSource);
    const [{ orders }] = await db.query(
      `SELECT count(*)::int AS orders FROM orders WHERE store_id = $1`,
      [store.id],
    );
    expect(orders).toBe(0);
    const stock = await db.query(`SELECT quantity FROM store_stock WHERE store_id = $1`, [
      store.id,
    ]);
    expect(stock.map((r: { quantity: number }) => r.quantity)).toEqual([100, 100, 100]);
  });

  it('places an order of exactly the limit', async () => {
    // One line of 100 units at limit / 100 per unit (delivery is free that far above the threshold).
    const { products, address } = await shop([MAX_ORDER_TOTAL_MINOR / MAX_QUANTITY]);
    const res = await place({
      items: [{ productId: products[0].id, quantity: MAX_QUANTITY }],
      address,
    });
    expect(res.status).toBe(201);
    expect(res.body.total.amount).toBe(MAX_ORDER_TOTAL_MINOR);
  });
});
