import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UsersService, type Role } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { StockService } from '#libs/inventory';
import { ReadCache } from '#libs/redis';
import { CATALOG_CACHE } from '#libs/products';
import { DEMO_CATEGORIES, DEMO_STORES, demoQuantity } from './demo-catalog.js';

/** An account the seed made, and where its password is written: never the password itself. */
export interface SeededAccount {
  role: Role;
  email: string;
  passwordIn: string;
}

/**
 * Demo accounts exist only outside production; there, only the env-configured admin is made.
 * Their passwords are public on purpose (README, "Demo users").
 */
const DEMO_USERS: { role: Role; email: string; password: string; name: string }[] = [
  {
    role: 'admin',
    email: 'admin@flashcart.local',
    password: 'flashcart-admin',
    name: 'Demo Admin',
  },
  {
    role: 'customer',
    email: 'customer@flashcart.local',
    password: 'flashcart-customer',
    name: 'Demo Customer',
  },
  {
    role: 'rider',
    email: 'rider@flashcart.local',
    password: 'flashcart-rider',
    name: 'Demo Rider',
  },
];

/** `make seed`: idempotent demo data. */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly users: UsersService,
    private readonly stock: StockService,
    private readonly cache: ReadCache,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** What it made, for the CLI to name (no secret: it says where each password is). */
  async seed(): Promise<SeededAccount[]> {
    const accounts: SeededAccount[] = [];
    const { email, password } = this.config.admin;
    if (email && password) {
      const { user } = await this.createAdmin(email, password);
      accounts.push({ role: 'admin', email: user.email, passwordIn: 'ADMIN_PASSWORD' });
    }
    if (this.config.env !== 'production') {
      let adminId: string | undefined;
      for (const demo of DEMO_USERS) {
        const { user } = await this.users.upsert(demo);
        if (demo.role === 'admin') adminId = user.id;
        accounts.push({
          role: demo.role,
          email: demo.email,
          passwordIn: 'README.md, "Demo users"',
        });
      }
      await this.seedCatalog(adminId!);
      await this.seedRiders();
    }
    return accounts;
  }

  /** Upserts stores, categories and products by their natural keys; sets demo stock levels. */
  private async seedCatalog(actorId: string): Promise<void> {
    const q = (sql: string, params: unknown[]) => this.dataSource.query(sql, params);
    const storeIds: [string, string][] = [];
    for (const s of DEMO_STORES) {
      const [row] = await q(
        `INSERT INTO stores (code, name, latitude, longitude, service_radius_m, opens_at, closes_at)
         VALUES ($1, $2, $3, $4, $5, '00:00', '00:00')
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
        [s.code, s.name, s.latitude, s.longitude, s.serviceRadiusM],
      );
      storeIds.push([s.code, row.id]);
    }
    for (const [order, category] of DEMO_CATEGORIES.entries()) {
      const [cat] = await q(
        `INSERT INTO categories (slug, name, sort_order) VALUES ($1, $2, $3)
         ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
        [category.slug, category.name, order],
      );
      for (const [itemIndex, [name, packs]] of category.items.entries()) {
        for (const [packIndex, [unit, paise]] of packs.entries()) {
          const sku = `${category.slug}-${itemIndex + 1}-${packIndex + 1}`.toUpperCase();
          const [product] = await q(
            `INSERT INTO products (sku, name, category_id, price_minor, unit_label, description, max_per_order)
             VALUES ($1, $2, $3, $4, $5, $6, 10)
             ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, price_minor = EXCLUDED.price_minor
             RETURNING id`,
            [sku, name, cat.id, paise, unit, `${name}, ${unit}.`],
          );
          for (const [code, storeId] of storeIds) {
            await this.stock.set(storeId, product.id, demoQuantity(code, sku), 'restock', actorId);
          }
        }
      }
    }
    await this.cache.invalidate(CATALOG_CACHE);
  }

  /**
   * Riders on shift at every demo store (`rider-<store code>-1|2@flashcart.local`, password
   * flashcart-rider; the demo rider works at the first store), so
   * that packed orders are offered and the demo simulation accepts them (docs/dispatch.md).
   */
  private async seedRiders(): Promise<void> {
    const stores: { id: string; code: string; latitude: number; longitude: number }[] =
      await this.dataSource.query(
        `SELECT id, code, latitude, longitude FROM stores WHERE code = ANY($1) ORDER BY code`,
        [DEMO_STORES.map((s) => s.code)],
      );
    for (const [index, store] of stores.entries()) {
      const riders = [
        ...(index === 0 ? [{ email: 'rider@flashcart.local', password: 'flashcart-rider' }] : []),
        ...[1, 2].map((n) => ({
          email: `rider-${store.code.toLowerCase()}-${n}@flashcart.local`,
          password: 'flashcart-rider',
        })),
      ];
      for (const [n, rider] of riders.entries()) {
        const { user } = await this.users.upsert({
          ...rider,
          name: `Rider ${store.code} ${n + 1}`,
          role: 'rider',
        });
        await this.dataSource.query(
          `INSERT INTO rider_shifts (rider_id, store_id, on_shift, last_lat, last_lng, position_at)
           VALUES ($1, $2, true, $3, $4, now())
           ON CONFLICT (rider_id) DO UPDATE SET store_id = EXCLUDED.store_id, on_shift = true`,
          [user.id, store.id, store.latitude, store.longitude],
        );
      }
    }
  }

  /** Creates or promotes an admin; returns the user (its email as stored, normalised). */
  createAdmin(email: string, password: string, name = 'Administrator') {
    return this.users.upsert({ email, password, name, role: 'admin' });
  }
}
