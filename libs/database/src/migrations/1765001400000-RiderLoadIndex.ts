import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexUnlessValid } from './create-index-unless-valid.js';

/**
 * `orders_rider_out_idx`: the orders out for delivery with each rider (`riderLoadSql` in
 * libs/dispatch, whose predicate is this one). Dispatch reads every on-shift rider's load for each
 * packed order; without it that read every order the rider ever delivered.
 *
 * On a large `orders` table, build it first without blocking (docs/operations.md):
 * `CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_rider_out_idx ON orders (rider_id)
 *  WHERE status = 'OUT_FOR_DELIVERY'`.
 */
export class RiderLoadIndex1765001400000 implements MigrationInterface {
  name = 'RiderLoadIndex1765001400000';

  async up(q: QueryRunner): Promise<void> {
    await createIndexUnlessValid(
      q,
      'orders_rider_out_idx',
      `ON orders (rider_id) WHERE status = 'OUT_FOR_DELIVERY'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS orders_rider_out_idx`);
  }
}
