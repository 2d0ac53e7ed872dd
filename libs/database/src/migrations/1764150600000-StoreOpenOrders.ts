import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A store's orders in PLACED + PACKED, kept as a counter the database maintains, and the store's
 * limit enforced where the order row is written. Counting the store's open orders under a lock
 * per store serialised every placement at a store for its whole transaction (and the count grew
 * with the orders); the counter row is locked only from the order's insert to its commit.
 */
export class StoreOpenOrders1764150600000 implements MigrationInterface {
  name = 'StoreOpenOrders1764150600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE store_open_orders (
        store_id uuid PRIMARY KEY REFERENCES stores (id) ON DELETE CASCADE,
        open integer NOT NULL DEFAULT 0 CHECK (open >= 0)
      )`);
    await q.query(`
      INSERT INTO store_open_orders (store_id, open)
      SELECT store_id, count(*) FROM orders WHERE status IN ('PLACED', 'PACKED') GROUP BY store_id`);
    // A new order takes a place in its store, or the insert fails with 'store_busy' (the caller
    // maps it to 409 STORE_BUSY); leaving PLACED/PACKED gives the place back.
    await q.query(`
      CREATE FUNCTION store_open_orders_count() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was_open boolean := TG_OP = 'UPDATE' AND OLD.status IN ('PLACED', 'PACKED');
        is_open boolean := NEW.status IN ('PLACED', 'PACKED');
      BEGIN
        IF is_open AND NOT was_open THEN
          INSERT INTO store_open_orders (store_id) VALUES (NEW.store_id) ON CONFLICT DO NOTHING;
          UPDATE store_open_orders c SET open = c.open + 1
            FROM stores s
           WHERE c.store_id = NEW.store_id AND s.id = NEW.store_id AND c.open < s.max_open_orders;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'store_busy' USING ERRCODE = 'P0001', DETAIL = NEW.store_id::text;
          END IF;
        ELSIF was_open AND NOT is_open THEN
          UPDATE store_open_orders SET open = open - 1 WHERE store_id = NEW.store_id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER store_open_orders_count
      AFTER INSERT OR UPDATE OF status ON orders
      FOR EACH ROW EXECUTE FUNCTION store_open_orders_count()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER store_open_orders_count ON orders`);
    await q.query(`DROP FUNCTION store_open_orders_count()`);
    await q.query(`DROP TABLE store_open_orders`);
  }
}
