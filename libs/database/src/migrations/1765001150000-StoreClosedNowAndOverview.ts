import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ops console's needs. `stores.closed_now`: a manual "closed now" switch over the opening
 * hours (rain, a power cut) that stops new orders at once while the store stays active (its riders
 * finish what they carry). `order_events_delivered_idx`: the overview reads each of the day's
 * orders' delivery time by order id without walking its whole timeline.
 */
export class StoreClosedNowAndOverview1765001150000 implements MigrationInterface {
  name = 'StoreClosedNowAndOverview1765001150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stores ADD COLUMN closed_now boolean NOT NULL DEFAULT false`);
    await q.query(
      `CREATE INDEX order_events_delivered_idx ON order_events (order_id, created_at) WHERE to_status = 'DELIVERED'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX order_events_delivered_idx`);
    await q.query(`ALTER TABLE stores DROP COLUMN closed_now`);
  }
}
