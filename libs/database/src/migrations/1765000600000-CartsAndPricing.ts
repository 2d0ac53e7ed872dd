import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Server-side carts (libs/cart) and what the one pricing function (libs/pricing) needs recorded:
 * each product's GST rate; on an order its small-basket fee, its discounts (the total, and each
 * promotion's name and amount as applied) and the tax included per rate; on each order line its
 * share of the discounts. The order's money invariant becomes `total = subtotal + delivery fee +
 * small-basket fee − discounts` (existing orders have neither, so they keep satisfying it).
 */
export class CartsAndPricing1765000600000 implements MigrationInterface {
  name = 'CartsAndPricing1765000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE products
        ADD COLUMN tax_rate_bp integer NOT NULL DEFAULT 500 CHECK (tax_rate_bp BETWEEN 0 AND 10000)`);
    await q.query(`
      ALTER TABLE orders
        ADD COLUMN small_basket_fee_minor integer NOT NULL DEFAULT 0 CHECK (small_basket_fee_minor >= 0),
        ADD COLUMN discount_minor integer NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
        ADD COLUMN taxes jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN discounts jsonb NOT NULL DEFAULT '[]',
        DROP CONSTRAINT orders_check,
        ADD CONSTRAINT orders_total_adds_up CHECK (
          total_minor = subtotal_minor + delivery_fee_minor + small_basket_fee_minor - discount_minor)`);
    await q.query(`
      ALTER TABLE order_items
        ADD COLUMN discount_minor integer NOT NULL DEFAULT 0,
        ADD COLUMN tax_rate_bp integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
        ADD CONSTRAINT order_items_discount_within_line
          CHECK (discount_minor BETWEEN 0 AND line_total_minor)`);
    await q.query(`
      CREATE TABLE carts (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        store_id uuid REFERENCES stores (id) ON DELETE SET NULL,
        address jsonb,
        promo_code text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX carts_updated_idx ON carts (updated_at)`);
    await q.query(`
      CREATE TABLE cart_lines (
        user_id uuid NOT NULL REFERENCES carts (user_id) ON DELETE CASCADE,
        product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
        quantity integer NOT NULL CHECK (quantity > 0),
        added_unit_price_minor integer NOT NULL CHECK (added_unit_price_minor >= 0),
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, product_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cart_lines`);
    await q.query(`DROP TABLE carts`);
    await q.query(`
      ALTER TABLE order_items
        DROP CONSTRAINT order_items_discount_within_line,
        DROP COLUMN tax_rate_bp,
        DROP COLUMN discount_minor`);
    await q.query(`
      ALTER TABLE orders
        DROP CONSTRAINT orders_total_adds_up,
        ADD CONSTRAINT orders_check CHECK (total_minor = subtotal_minor + delivery_fee_minor),
        DROP COLUMN discounts,
        DROP COLUMN taxes,
        DROP COLUMN discount_minor,
        DROP COLUMN small_basket_fee_minor`);
    await q.query(`ALTER TABLE products DROP COLUMN tax_rate_bp`);
  }
}
