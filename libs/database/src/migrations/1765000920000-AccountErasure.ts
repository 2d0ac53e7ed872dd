import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasing an account (libs/accounts' data rights): the users row stays (orders and ratings refer
 * to it) with `erased_at` set; an order still open when its customer is erased is marked, and the
 * transition that ends it removes its personal fields in the same statement (libs/orders).
 */
export class AccountErasure1765000920000 implements MigrationInterface {
  name = 'AccountErasure1765000920000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN erased_at timestamptz`);
    // The maintenance sweep finds erased customers without reading every user.
    await q.query(`CREATE INDEX users_erased_idx ON users (erased_at) WHERE erased_at IS NOT NULL`);
    await q.query(
      `ALTER TABLE orders ADD COLUMN erase_personal_data boolean NOT NULL DEFAULT false`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP COLUMN erase_personal_data`);
    await q.query(`DROP INDEX users_erased_idx`);
    await q.query(`ALTER TABLE users DROP COLUMN erased_at`);
  }
}
