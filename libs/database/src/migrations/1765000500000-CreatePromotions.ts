import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Promotions (libs/promotions): codes and automatic ones, their rules, and their uses counted
 * where they are claimed. `used` and a customer's `uses` are limited things: claimed with a
 * conditional update in the transaction that places the order, given back once by the one that
 * cancels it (docs/architecture.md "Money").
 */
export class CreatePromotions1765000500000 implements MigrationInterface {
  name = 'CreatePromotions1765000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE promotions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{2,31}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        kind text NOT NULL CHECK (kind IN ('percent', 'flat', 'free_delivery', 'buy_x_get_y')),
        percent_bp integer CHECK (percent_bp BETWEEN 1 AND 10000),
        max_discount_minor integer CHECK (max_discount_minor >= 0),
        amount_minor integer CHECK (amount_minor > 0),
        buy_quantity integer CHECK (buy_quantity BETWEEN 1 AND 100),
        free_quantity integer CHECK (free_quantity BETWEEN 1 AND 100),
        product_ids uuid[],
        category_ids uuid[],
        store_ids uuid[],
        min_basket_minor integer NOT NULL DEFAULT 0 CHECK (min_basket_minor >= 0),
        starts_at timestamptz,
        ends_at timestamptz CHECK (ends_at IS NULL OR starts_at IS NULL OR starts_at < ends_at),
        first_order_only boolean NOT NULL DEFAULT false,
        per_customer_limit integer CHECK (per_customer_limit > 0),
        usage_limit integer CHECK (usage_limit > 0),
        used integer NOT NULL DEFAULT 0 CHECK (used >= 0),
        paused boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (CASE kind
          WHEN 'percent' THEN percent_bp IS NOT NULL
          WHEN 'flat' THEN amount_minor IS NOT NULL
          WHEN 'buy_x_get_y' THEN buy_quantity IS NOT NULL AND free_quantity IS NOT NULL
          ELSE true END)
      )`);
    await q.query(`
      CREATE TABLE promotion_customer_uses (
        promotion_id uuid NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        uses integer NOT NULL CHECK (uses >= 0),
        PRIMARY KEY (promotion_id, user_id)
      )`);
    await q.query(`
      CREATE TABLE promotion_redemptions (
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        promotion_id uuid NOT NULL REFERENCES promotions (id),
        user_id uuid NOT NULL,
        amount_minor integer NOT NULL CHECK (amount_minor >= 0),
        redeemed_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz,
        PRIMARY KEY (order_id, promotion_id)
      )`);
    await q.query(
      `CREATE INDEX promotion_redemptions_promotion ON promotion_redemptions (promotion_id)`,
    );
    // The refusal of a claim (PROMOTION_REFUSAL in libs/promotions/src/promotion-uses.ts), recognised
    // by its DETAIL (refusalOf).
    await q.query(`
      CREATE FUNCTION promotion_unavailable() RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'promotion unavailable' USING ERRCODE = 'P0001', DETAIL = 'promotion_unavailable';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION promotion_unavailable()`);
    await q.query(`DROP TABLE promotion_redemptions`);
    await q.query(`DROP TABLE promotion_customer_uses`);
    await q.query(`DROP TABLE promotions`);
  }
}
