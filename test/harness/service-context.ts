import type { ModuleMetadata } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsersService, type Role } from '#libs/auth';
import { APP_CONFIG, ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { StockService, StoresService, type Store } from '#libs/inventory';
import {
  CustomerQueue,
  OrderPlacement,
  OrderQueries,
  OrdersModule,
  OrderTransitions,
} from '#libs/orders';
import { PlatformModule } from '#libs/platform';
import { CategoriesService, ProductsService, type Product } from '#libs/products';
import { ReadCacheModule, RedisModule } from '#libs/redis';
import { testConfig } from './apps.js';
import { randomTown } from './catalog-factory.js';

const short = () => randomUUID().slice(0, 8);

/**
 * The medium test tier: the domain services against the real PostgreSQL (and Redis), without
 * HTTP, with builders for test data (`ctx.newOrder()`). Faster to write and run than e2e for
 * races and the state machine's side effects.
 */
export class ServiceContext {
  private constructor(
    readonly module: TestingModule,
    readonly db: DataSource,
    private readonly adminId: string,
  ) {}

  /**
   * `imports`: more modules to test (e.g. DispatchModule). `raceInDatabase`: a customer's
   * placements are not queued in-process first, so concurrent ones meet in PostgreSQL as they do
   * when they arrive at different api instances.
   */
  static async start(
    overrides: Record<string, string> = {},
    imports: NonNullable<ModuleMetadata['imports']> = [],
    o: { raceInDatabase?: boolean } = {},
  ): Promise<ServiceContext> {
    const builder = Test.createTestingModule({
      imports: [
        ConfigModule,
        PlatformModule.forRoot('api'),
        DatabaseModule,
        RedisModule,
        ReadCacheModule,
        OrdersModule,
        ...imports,
      ],
    })
      .overrideProvider(APP_CONFIG)
      .useValue(testConfig(overrides));
    if (o.raceInDatabase)
      builder.overrideProvider(CustomerQueue).useValue({
        run: <T>(_customer: string, task: () => Promise<T>) => task(),
      });
    const module = await builder.compile();
    await module.init();
    const admin = await module.get(UsersService).upsert({
      email: `admin-${short()}@test.flashcart.dev`,
      password: `pw-${randomUUID()}`,
      name: 'Admin',
      role: 'admin',
    });
    return new ServiceContext(module, module.get(DataSource), admin.user.id);
  }

  close(): Promise<void> {
    return this.module.close();
  }

  get placement() {
    return this.module.get(OrderPlacement);
  }
  get transitions() {
    return this.module.get(OrderTransitions);
  }
  get queries() {
    return this.module.get(OrderQueries);
  }

  async newUser(role: Role = 'customer'): Promise<{ id: string }> {
    const { user } = await this.module.get(UsersService).upsert({
      email: `${role}-${short()}@test.flashcart.dev`,
      password: `pw-${randomUUID()}`,
      name: `Test ${role}`,
      role,
    });
    return { id: user.id };
  }

  newStore(): Promise<Store> {
    const town = randomTown();
    return this.module.get(StoresService).create({
      name: `Store ${short()}`,
      code: `S-${short()}`,
      latitude: town.lat,
      longitude: town.lng,
      serviceRadiusM: 3000,
    });
  }

  /** A product stocked with `quantity` at the store. */
  async newProduct(store: Store, quantity = 10): Promise<Product> {
    const category = await this.module
      .get(CategoriesService)
      .create({ name: `Category ${short()}`, slug: `cat-${short()}` });
    const product = await this.module.get(ProductsService).create({
      sku: `SKU-${short()}`,
      name: `Product ${short()}`,
      categoryId: category.id,
      priceMinor: 4500,
      unitLabel: '500 g',
      maxPerOrder: 50,
    });
    await this.module
      .get(StockService)
      .set(store.id, product.id, quantity, 'restock', this.adminId);
    return product;
  }

  /** An address the store delivers to. */
  addressAt(store: Store) {
    return {
      line1: '1 Test Road',
      city: 'Bengaluru',
      pincode: '560001',
      lat: store.latitude,
      lng: store.longitude,
    };
  }

  /** A placed order (a new customer, store and product unless given). */
  async newOrder(
    o: { customerId?: string; store?: Store; product?: Product; quantity?: number } = {},
  ) {
    const store = o.store ?? (await this.newStore());
    const product = o.product ?? (await this.newProduct(store));
    const customerId = o.customerId ?? (await this.newUser()).id;
    const { body } = await this.placement.place(customerId, randomUUID(), {
      items: [{ productId: product.id, quantity: o.quantity ?? 1 }],
      address: this.addressAt(store),
    });
    return { order: body, store, product, customerId };
  }

  async stockOf(storeId: string, productId: string): Promise<number> {
    const [row] = await this.db.query(
      `SELECT quantity FROM store_stock WHERE store_id = $1 AND product_id = $2`,
      [storeId, productId],
    );
    return row.quantity;
  }

  async ledgerOf(storeId: string, productId: string): Promise<number> {
    const [row] = await this.db.query(
      `SELECT COALESCE(sum(delta), 0)::int AS sum FROM stock_movements WHERE store_id = $1 AND product_id = $2`,
      [storeId, productId],
    );
    return row.sum;
  }

  admin() {
    return { id: this.adminId, role: 'admin' as const };
  }
}
