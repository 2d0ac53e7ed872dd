import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotifications1764150300000 implements MigrationInterface {
  name = 'CreateNotifications1764150300000';

  async up(q: QueryRunner): Promise<void> {
    // dedupe_key makes a job that runs twice create one notification.
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        order_id uuid REFERENCES orders (id) ON DELETE CASCADE,
        dedupe_key varchar(200) NOT NULL,
        type text NOT NULL,
        title varchar(200) NOT NULL,
        body varchar(1000) NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        delivered_at timestamptz,
        CONSTRAINT notifications_user_dedupe_key UNIQUE (user_id, dedupe_key)
      )`);
    await q.query(
      `CREATE INDEX notifications_user_unread_idx ON notifications (user_id, (read_at IS NOT NULL), created_at DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
  }
}
