import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1764150200000 implements MigrationInterface {
  name = 'CreateOrders1764150200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        store_id uuid NOT NULL REFERENCES stores (id) ON DELETE RESTRICT,
        rider_id uuid REFERENCES users (id) ON DELETE RESTRICT,
        status text NOT NULL CHECK (status IN ('PLACED', 'PACKED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'CANCELLED')),
        version integer NOT NULL DEFAULT 1,
        address jsonb NOT NULL,
        note varchar(500),
        currency char(3) NOT NULL DEFAULT 'INR',
        subtotal_minor integer NOT NULL CHECK (subtotal_minor >= 0),
        delivery_fee_minor integer NOT NULL CHECK (delivery_fee_minor >= 0),
        total_minor integer NOT NULL CHECK (total_minor = subtotal_minor + delivery_fee_minor),
        promised_by timestamptz NOT NULL,
        cancel_reason varchar(500),
        placed_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status NOT IN ('OUT_FOR_DELIVERY', 'DELIVERED') OR rider_id IS NOT NULL)
      )`);
    await q.query(
      `CREATE INDEX orders_user_placed_idx ON orders (user_id, placed_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX orders_store_placed_idx ON orders (store_id, placed_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX orders_rider_idx ON orders (rider_id, placed_at DESC) WHERE rider_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX orders_open_idx ON orders (status, placed_at) WHERE status IN ('PLACED', 'PACKED', 'OUT_FOR_DELIVERY')`,
    );
    await q.query(`
      CREATE TABLE order_items (
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        product_id uuid NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
        sku varchar(64) NOT NULL,
        name varchar(200) NOT NULL,
        unit_label varchar(40) NOT NULL,
        unit_price_minor integer NOT NULL CHECK (unit_price_minor >= 0),
        quantity integer NOT NULL CHECK (quantity > 0),
        line_total_minor integer NOT NULL CHECK (line_total_minor = unit_price_minor * quantity),
        PRIMARY KEY (order_id, product_id)
      )`);
    // The timeline and the outbox in one: rows are written in the transaction of their change and
    // relayed to subscribers after commit (published_at marks what the relay has delivered).
    await q.query(`
      CREATE TABLE order_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        seq integer NOT NULL CHECK (seq > 0),
        type text NOT NULL,
        from_status text,
        to_status text,
        actor_id uuid,
        actor_role text NOT NULL CHECK (actor_role IN ('customer', 'rider', 'admin', 'system')),
        reason varchar(500),
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        CONSTRAINT order_events_order_seq_key UNIQUE (order_id, seq)
      )`);
    await q.query(
      `CREATE INDEX order_events_unpublished_idx ON order_events (id) WHERE published_at IS NULL`,
    );
    // A key is written only with the response, in the transaction that placed the order; while that
    // transaction runs, an advisory lock on (user, key) marks the key as in use.
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        key varchar(255) NOT NULL,
        request_hash char(64) NOT NULL,
        response_status integer NOT NULL,
        response_body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE order_events`);
    await q.query(`DROP TABLE order_items`);
    await q.query(`DROP TABLE orders`);
  }
}
