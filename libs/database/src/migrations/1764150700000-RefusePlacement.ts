import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `refuse_placement(reason)` fails the statement that calls it. The placement's write goes out
 * with its COMMIT in one flight (PipelinedTransaction): a write that must not be kept has to fail
 * by itself, in SQL, so that the COMMIT behind it answers ROLLBACK.
 */
export class RefusePlacement1764150700000 implements MigrationInterface {
  name = 'RefusePlacement1764150700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION refuse_placement(reason text) RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '%', reason USING ERRCODE = 'P0001';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION refuse_placement(text)`);
  }
}
