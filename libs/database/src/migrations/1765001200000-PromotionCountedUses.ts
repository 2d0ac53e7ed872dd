import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `promotions.used` becomes `counted_uses`, kept only while the promotion has a `usage_limit`
 * (libs/promotions: promotion-uses.ts). Counting every use of every promotion made each
 * promotion's row a lock that every order carrying it queued on (a shop-wide "5 % off" capped
 * the whole shop's order rate at one commit at a time); the uses themselves are the unreleased
 * rows of promotion_redemptions. Values stay: they are right for the limited promotions, and a
 * limit set later recounts.
 */
export class PromotionCountedUses1765001200000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE promotions RENAME COLUMN used TO counted_uses`);
    await queryRunner.query(
      `ALTER TABLE promotions RENAME CONSTRAINT promotions_used_check TO promotions_counted_uses_check`,
    );
    await queryRunner.query(
      `COMMENT ON COLUMN promotions.counted_uses IS 'Unreleased redemptions, kept while usage_limit is set (else unused)'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`COMMENT ON COLUMN promotions.counted_uses IS NULL`);
    await queryRunner.query(
      `ALTER TABLE promotions RENAME CONSTRAINT promotions_counted_uses_check TO promotions_used_check`,
    );
    await queryRunner.query(`ALTER TABLE promotions RENAME COLUMN counted_uses TO used`);
    // Every use counted again, as the earlier code expects.
    await queryRunner.query(
      `UPDATE promotions p SET used = (SELECT count(*) FROM promotion_redemptions r
                                        WHERE r.promotion_id = p.id AND r.released_at IS NULL)`,
    );
  }
}
