import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19: riders on shift and their offers (dispatch), a per-store limit of orders waiting in
 * the store (PLACED + PACKED), and short picks (a refund due on the order, a ledger reason).
 */
export class DispatchCapacityShortPicks1764150500000 implements MigrationInterface {
  name = 'DispatchCapacityShortPicks1764150500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE stores
        ADD COLUMN max_open_orders integer NOT NULL DEFAULT 40 CHECK (max_open_orders BETWEEN 1 AND 10000)`);
    // What placement counts (under the store's advisory lock) to keep a store within its limit.
    await q.query(
      `CREATE INDEX orders_store_in_store_idx ON orders (store_id, placed_at) WHERE status IN ('PLACED', 'PACKED')`,
    );
    await q.query(`
      ALTER TABLE orders
        ADD COLUMN refund_due_minor integer NOT NULL DEFAULT 0 CHECK (refund_due_minor >= 0)`);
    await q.query(`ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_reason_check`);
    await q.query(`
      ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_reason_check
        CHECK (reason IN ('restock', 'adjustment', 'order_reserved', 'order_released', 'short_pick'))`);
    // One row per rider: the store they work for, whether they are on shift, their last position.
    // BUSY is not stored: it is derived from the orders they carry (never stale).
    await q.query(`
      CREATE TABLE rider_shifts (
        rider_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        store_id uuid NOT NULL REFERENCES stores (id) ON DELETE RESTRICT,
        on_shift boolean NOT NULL DEFAULT false,
        since timestamptz NOT NULL DEFAULT now(),
        last_lat double precision CHECK (last_lat BETWEEN -90 AND 90),
        last_lng double precision CHECK (last_lng BETWEEN -180 AND 180),
        position_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((last_lat IS NULL) = (last_lng IS NULL))
      )`);
    await q.query(`CREATE INDEX rider_shifts_store_idx ON rider_shifts (store_id) WHERE on_shift`);
    await q.query(`
      CREATE TABLE rider_offers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        rider_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        store_id uuid NOT NULL REFERENCES stores (id) ON DELETE RESTRICT,
        status text NOT NULL DEFAULT 'OFFERED'
          CHECK (status IN ('OFFERED', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN')),
        attempt integer NOT NULL CHECK (attempt > 0),
        offered_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        answered_at timestamptz,
        end_reason varchar(100),
        CHECK (expires_at > offered_at),
        CHECK ((status = 'OFFERED') = (answered_at IS NULL))
      )`);
    // The schema's share of "exactly one rider holds an order": at most one open and at most one
    // accepted offer per order, and a rider answers one offer at a time.
    await q.query(
      `CREATE UNIQUE INDEX rider_offers_open_order_key ON rider_offers (order_id) WHERE status = 'OFFERED'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX rider_offers_accepted_order_key ON rider_offers (order_id) WHERE status = 'ACCEPTED'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX rider_offers_open_rider_key ON rider_offers (rider_id) WHERE status = 'OFFERED'`,
    );
    await q.query(
      `CREATE INDEX rider_offers_expiry_idx ON rider_offers (expires_at) WHERE status = 'OFFERED'`,
    );
    await q.query(`CREATE INDEX rider_offers_order_idx ON rider_offers (order_id, offered_at)`);
    await q.query(
      `CREATE INDEX rider_offers_rider_idx ON rider_offers (rider_id, offered_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rider_offers`);
    await q.query(`DROP TABLE rider_shifts`);
    await q.query(`UPDATE stock_movements SET reason = 'adjustment' WHERE reason = 'short_pick'`);
    await q.query(`ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_reason_check`);
    await q.query(`
      ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_reason_check
        CHECK (reason IN ('restock', 'adjustment', 'order_reserved', 'order_released'))`);
    await q.query(`ALTER TABLE orders DROP COLUMN refund_due_minor`);
    await q.query(`DROP INDEX orders_store_in_store_idx`);
    await q.query(`ALTER TABLE stores DROP COLUMN max_open_orders`);
  }
}
