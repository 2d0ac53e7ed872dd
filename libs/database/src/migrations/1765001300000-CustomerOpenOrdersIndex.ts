import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexUnlessValid } from './create-index-unless-valid.js';

/**
 * `orders_customer_open_idx`: a customer's orders that count against their open-order cap
 * (`customerOpenOrderCount` in libs/orders, whose status list is this predicate). Every placement
 * counts them; without it that count read every order the customer ever placed.
 *
 * On a large `orders` table, create it first without blocking placements, then migrate (this is
 * then a no-op; an invalid one, left by an interrupted build, is built again):
 * `CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_open_idx ON orders (user_id)
 *  WHERE status IN ('AWAITING_PAYMENT', 'PLACED', 'PACKED', 'OUT_FOR_DELIVERY')` (docs/operations.md).
 */
export class CustomerOpenOrdersIndex1765001300000 implements MigrationInterface {
  name = 'CustomerOpenOrdersIndex1765001300000';

  async up(q: QueryRunner): Promise<void> {
    await createIndexUnlessValid(
      q,
      'orders_customer_open_idx',
      `ON orders (user_id) WHERE status IN ('AWAITING_PAYMENT', 'PLACED', 'PACKED', 'OUT_FOR_DELIVERY')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS orders_customer_open_idx`);
  }
}
