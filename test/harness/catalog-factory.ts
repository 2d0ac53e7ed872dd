import { randomUUID } from 'node:crypto';
import type { HttpClient } from './http-client.js';

const short = () => randomUUID().slice(0, 8);

/** A random spot on the map, far from other tests' stores (each test gets its own town). */
export function randomTown(): { lat: number; lng: number } {
  return { lat: -50 + Math.random() * 100, lng: -170 + Math.random() * 340 };
}

/** Moves a point `meters` north (≈111,195 m per degree of latitude). */
export function north(point: { lat: number; lng: number }, meters: number) {
  return { lat: point.lat + meters / 111_195, lng: point.lng };
}

async function ok<T = any>(
  promise: Promise<{ status: number; body: T }>,
  what: string,
): Promise<T> {
  const res = await promise;
  if (res.status >= 300)
    throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Builds catalog data through the admin API, as store staff would. */
export class CatalogFactory {
  constructor(
    private readonly http: HttpClient,
    private readonly adminToken: string,
  ) {}

  private post(path: string, body: unknown) {
    return this.http.post(path, body, { token: this.adminToken });
  }

  category(overrides: Record<string, unknown> = {}) {
    const slug = `cat-${short()}`;
    return ok(
      this.post('/v1/admin/categories', { name: `Category ${slug}`, slug, ...overrides }),
      'category',
    );
  }

  async product(overrides: Record<string, unknown> = {}) {
    const categoryId = overrides.categoryId ?? (await this.category()).id;
    return ok(
      this.post('/v1/admin/products', {
        sku: `SKU-${short()}`,
        name: `Product ${short()}`,
        categoryId,
        priceMinor: 4500,
        unitLabel: '500 g',
        ...overrides,
      }),
      'product',
    );
  }

  store(overrides: Record<string, unknown> = {}) {
    const town = randomTown();
    return ok(
      this.post('/v1/admin/stores', {
        name: `Store ${short()}`,
        code: `S-${short().toUpperCase()}`,
        latitude: town.lat,
        longitude: town.lng,
        serviceRadiusM: 3000,
        // Load tests place dozens of orders at one store: capacity is tested on its own.
        maxOpenOrders: 1000,
        ...overrides,
      }),
      'store',
    );
  }

  stock(storeId: string, productId: string, quantity: number) {
    return ok(
      this.http.put(
        `/v1/admin/stores/${storeId}/stock/${productId}`,
        { quantity, reason: 'restock' },
        { token: this.adminToken },
      ),
      'stock',
    );
  }

  /** A store with one product in stock, and a delivery address the store serves. */
  async stockedStore(stock = 10, storeOverrides: Record<string, unknown> = {}) {
    const store = await this.store({ serviceRadiusM: 5000, ...storeOverrides });
    const product = await this.product({ maxPerOrder: 50 });
    await this.stock(store.id, product.id, stock);
    const address = {
      line1: '1 Test Road',
      city: 'Bengaluru',
      pincode: '560001',
      lat: store.latitude,
      lng: store.longitude,
    };
    return { store, product, address };
  }
}
