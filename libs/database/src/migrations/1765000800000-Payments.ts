import type { MigrationInterface, QueryRunner } from 'typeorm';

const STORE_BUSY = `'store % is at its limit of open orders', NEW.store_id USING ERRCODE = 'P0001', DETAIL = 'store_busy'`;

/**
 * Payments (issue 26, libs/payments): an order's payment method and the AWAITING_PAYMENT status
 * (an online order holds its stock and its place in the store until paid, so the store's open
 * orders count it too: a capture can then never be refused for capacity); the payments, the
 * provider's webhook events (stored once by event id), refunds (one idempotency key each), cash
 * collections, and the payments ledger. Refunds claim from `payments.refunded_minor`, which the
 * schema keeps within what was captured.
 */
export class Payments1765000800000 implements MigrationInterface {
  name = 'Payments1765000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT orders_status_check
      CHECK (status IN ('AWAITING_PAYMENT', 'PLACED', 'PACKED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'CANCELLED'))`);
    await q.query(`ALTER TABLE orders ADD COLUMN payment_method text NOT NULL DEFAULT 'cod'
      CHECK (payment_method IN ('cod', 'online'))`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT orders_awaiting_is_online
      CHECK (status <> 'AWAITING_PAYMENT' OR payment_method = 'online')`);
    await q.query(
      `CREATE INDEX orders_awaiting_payment_idx ON orders (placed_at) WHERE status = 'AWAITING_PAYMENT'`,
    );
    await q.query(storeOpenOrdersCount(`('AWAITING_PAYMENT', 'PLACED', 'PACKED')`));

    await q.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
        provider text NOT NULL,
        provider_payment_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'failed', 'captured')),
        amount_minor integer NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        client_secret text,
        captured_minor integer NOT NULL DEFAULT 0 CHECK (captured_minor >= 0),
        refunded_minor integer NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payments_order_key UNIQUE (order_id),
        CONSTRAINT payments_provider_payment_key UNIQUE (provider, provider_payment_id),
        CONSTRAINT payments_refund_within_capture CHECK (refunded_minor <= captured_minor)
      )`);
    await q.query(`
      CREATE TABLE payment_webhook_events (
        provider text NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        order_id uuid,
        payload jsonb NOT NULL,
        outcome text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider, event_id)
      )`);
    await q.query(`
      CREATE TABLE payment_refunds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
        payment_id uuid NOT NULL REFERENCES payments (id) ON DELETE RESTRICT,
        idempotency_key text NOT NULL,
        amount_minor integer NOT NULL CHECK (amount_minor > 0),
        reason text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'succeeded')),
        provider_refund_id text,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        alerted boolean NOT NULL DEFAULT false,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_refunds_key UNIQUE (idempotency_key)
      )`);
    await q.query(
      `CREATE INDEX payment_refunds_pending_idx ON payment_refunds (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`
      CREATE TABLE cod_collections (
        order_id uuid PRIMARY KEY REFERENCES orders (id) ON DELETE RESTRICT,
        rider_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        due_minor integer NOT NULL CHECK (due_minor >= 0),
        collected_minor integer NOT NULL CHECK (collected_minor >= 0),
        collected_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Every movement of money, once: a capture per payment, a refund per refund row, a cash
    // collection per order (the unique reference).
    await q.query(`
      CREATE TABLE payment_ledger (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
        kind text NOT NULL CHECK (kind IN ('capture', 'refund', 'cod_collection')),
        amount_minor integer NOT NULL CHECK (amount_minor >= 0),
        reference text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_ledger_reference_key UNIQUE (kind, reference)
      )`);
    await q.query(`CREATE INDEX payment_ledger_order_idx ON payment_ledger (order_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payment_ledger, cod_collections, payment_refunds,
                              payment_webhook_events, payments`);
    await q.query(storeOpenOrdersCount(`('PLACED', 'PACKED')`));
    await q.query(`DROP INDEX orders_awaiting_payment_idx`);
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_awaiting_is_online`);
    await q.query(`ALTER TABLE orders DROP COLUMN payment_method`);
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT orders_status_check
      CHECK (status IN ('PLACED', 'PACKED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'CANCELLED'))`);
  }
}

/** The trigger function of migration 1765000200000, counting the given statuses as open. */
function storeOpenOrdersCount(open: string): string {
  return `
    CREATE OR REPLACE FUNCTION store_open_orders_count() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      was_open boolean := TG_OP = 'UPDATE' AND OLD.status IN ${open};
      is_open boolean := NEW.status IN ${open};
    BEGIN
      IF is_open AND NOT was_open THEN
        INSERT INTO store_open_orders (store_id) VALUES (NEW.store_id) ON CONFLICT DO NOTHING;
        UPDATE store_open_orders c SET open = c.open + 1
          FROM stores s
         WHERE c.store_id = NEW.store_id AND s.id = NEW.store_id AND c.open < s.max_open_orders;
        IF NOT FOUND THEN
          RAISE EXCEPTION ${STORE_BUSY};
        END IF;
      ELSIF was_open AND NOT is_open THEN
        UPDATE store_open_orders SET open = open - 1 WHERE store_id = NEW.store_id;
      END IF;
      RETURN NULL;
    END $$`;
}
