import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The address book (libs/accounts): a customer's saved addresses, at most one default (a partial
 * unique index: the schema holds it even if two "make default" requests race). The rider's
 * instructions travel with an order's address snapshot, so `instructions` is added to what an
 * order's `address` jsonb may hold (no column: the snapshot is jsonb already).
 */
export class CreateCustomerAddresses1765000900000 implements MigrationInterface {
  name = 'CreateCustomerAddresses1765000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_addresses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        label varchar(40) NOT NULL CHECK (label <> ''),
        line1 varchar(200) NOT NULL CHECK (line1 <> ''),
        line2 varchar(200),
        city varchar(100) NOT NULL CHECK (city <> ''),
        pincode char(6) NOT NULL CHECK (pincode ~ '^[1-9][0-9]{5}$'),
        lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
        instructions varchar(300),
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX customer_addresses_user_idx ON customer_addresses (user_id, created_at, id)`,
    );
    await q.query(
      `CREATE UNIQUE INDEX customer_addresses_one_default ON customer_addresses (user_id) WHERE is_default`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE customer_addresses`);
  }
}
