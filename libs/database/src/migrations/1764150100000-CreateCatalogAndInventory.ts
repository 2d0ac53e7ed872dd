import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCatalogAndInventory1764150100000 implements MigrationInterface {
  name = 'CreateCatalogAndInventory1764150100000';

  async up(q: QueryRunner): Promise<void> {
    // Trigram indexes make case-insensitive prefix/word search on names index-backed.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        slug varchar(100) NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
        parent_id uuid REFERENCES categories (id) ON DELETE RESTRICT,
        sort_order integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT categories_slug_key UNIQUE (slug),
        CHECK (parent_id IS NULL OR parent_id <> id)
      )`);
    await q.query(`
      CREATE TABLE products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sku varchar(64) NOT NULL,
        name varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        category_id uuid NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
        price_minor integer NOT NULL CHECK (price_minor >= 0),
        currency char(3) NOT NULL DEFAULT 'INR' CHECK (currency = 'INR'),
        unit_label varchar(40) NOT NULL,
        image_url text,
        max_per_order integer NOT NULL DEFAULT 10 CHECK (max_per_order BETWEEN 1 AND 100),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT products_sku_key UNIQUE (sku)
      )`);
    await q.query(`CREATE INDEX products_name_id_idx ON products (name, id)`);
    await q.query(`CREATE INDEX products_category_id_idx ON products (category_id)`);
    await q.query(
      `CREATE INDEX products_name_trgm_idx ON products USING gin (lower(name) gin_trgm_ops)`,
    );
    await q.query(`
      CREATE TABLE stores (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        code varchar(32) NOT NULL CHECK (code ~ '^[A-Z0-9-]+$'),
        latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
        service_radius_m integer NOT NULL CHECK (service_radius_m BETWEEN 100 AND 50000),
        opens_at time NOT NULL DEFAULT '00:00',
        closes_at time NOT NULL DEFAULT '00:00',
        timezone text NOT NULL DEFAULT 'Asia/Kolkata',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stores_code_key UNIQUE (code)
      )`);
    await q.query(`
      CREATE TABLE store_stock (
        store_id uuid NOT NULL REFERENCES stores (id) ON DELETE RESTRICT,
        product_id uuid NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
        quantity integer NOT NULL CHECK (quantity >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (store_id, product_id)
      )`);
    await q.query(`CREATE INDEX store_stock_product_id_idx ON store_stock (product_id)`);
    // Append-only ledger: the sum of a (store, product)'s deltas equals its quantity.
    await q.query(`
      CREATE TABLE stock_movements (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        store_id uuid NOT NULL REFERENCES stores (id) ON DELETE RESTRICT,
        product_id uuid NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
        delta integer NOT NULL CHECK (delta <> 0),
        quantity_after integer NOT NULL CHECK (quantity_after >= 0),
        reason text NOT NULL CHECK (reason IN ('restock', 'adjustment', 'order_reserved', 'order_released')),
        order_id uuid,
        actor_id uuid,
        note varchar(500),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX stock_movements_store_product_idx ON stock_movements (store_id, product_id, id DESC)`,
    );
    await q.query(
      `CREATE INDEX stock_movements_order_id_idx ON stock_movements (order_id) WHERE order_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stock_movements`);
    await q.query(`DROP TABLE store_stock`);
    await q.query(`DROP TABLE stores`);
    await q.query(`DROP TABLE products`);
    await q.query(`DROP TABLE categories`);
  }
}
