import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Store staff's internal notes on an order (libs/orders' OrderNotes): never on the customer's
 * timeline nor in order_events (so never on the socket or in notifications). Kept with the order.
 */
export class OrderStaffNotes1765001100000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE order_staff_notes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        author_id uuid REFERENCES users(id) ON DELETE SET NULL,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX order_staff_notes_order_idx ON order_staff_notes (order_id, created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE order_staff_notes`);
  }
}
