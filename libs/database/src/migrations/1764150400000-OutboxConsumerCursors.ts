import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox gets one cursor per named consumer instead of one `published_at` mark shared by all
 * of them, so a failing consumer neither blocks nor loses another's events.
 *
 * Each event records the id of the transaction that wrote it (`tx`). A consumer reads events in
 * `(tx, id)` order, only those whose transaction is older than every transaction still running
 * (`pg_snapshot_xmin`): such an event can no longer be joined by an earlier one committing late,
 * so a cursor that only moves forward never skips anything.
 */
export class OutboxConsumerCursors1764150400000 implements MigrationInterface {
  name = 'OutboxConsumerCursors1764150400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE order_events ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id()`,
    );
    await q.query(`CREATE INDEX order_events_outbox_idx ON order_events (tx, id)`);
    await q.query(`
      CREATE TABLE outbox_consumers (
        name text PRIMARY KEY,
        cursor_tx xid8 NOT NULL,
        cursor_id bigint NOT NULL,
        lease_owner text,
        lease_until timestamptz NOT NULL DEFAULT '-infinity',
        delivered bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Existing deployments: the consumers of the old relay start where its published mark stopped
    // (every existing row now carries this migration's transaction id).
    await q.query(`
      INSERT INTO outbox_consumers (name, cursor_tx, cursor_id)
      SELECT c.name, pg_current_xact_id(),
             COALESCE((SELECT min(id) - 1 FROM order_events WHERE published_at IS NULL),
                      (SELECT max(id) FROM order_events))
        FROM unnest(ARRAY['tracking', 'order-jobs', 'notifications']) AS c(name)
       WHERE EXISTS (SELECT 1 FROM order_events)`);
    await q.query(`DROP INDEX order_events_unpublished_idx`);
    await q.query(`ALTER TABLE order_events DROP COLUMN published_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE order_events ADD COLUMN published_at timestamptz`);
    await q.query(`
      UPDATE order_events e SET published_at = now()
       WHERE NOT EXISTS (
         SELECT 1 FROM outbox_consumers c WHERE (e.tx, e.id) > (c.cursor_tx, c.cursor_id))`);
    await q.query(
      `CREATE INDEX order_events_unpublished_idx ON order_events (id) WHERE published_at IS NULL`,
    );
    await q.query(`DROP TABLE outbox_consumers`);
    await q.query(`DROP INDEX order_events_outbox_idx`);
    await q.query(`ALTER TABLE order_events DROP COLUMN tx`);
  }
}
