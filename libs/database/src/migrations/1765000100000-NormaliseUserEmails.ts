import { Logger } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emails were only trimmed and lower-cased; from now on every address is NFKC-normalised first
 * (libs/auth's canonicalEmail), so a stored `ｕser@…` would no longer be found at login. This
 * rewrites each such row to its normalised form (a frozen copy of that rule: NFKC, then lower
 * case). A row whose normalised form another account already holds is a look-alike duplicate: it
 * is left as it is and named in a warning for an admin to resolve (it cannot sign in any more,
 * since the address it was made with now means the other account). Rows holding characters that
 * are now refused (invisible, mixed scripts) are left as they are too and cannot sign in.
 * Not reversible: the earlier spellings are not kept, and nothing depends on them.
 */
export class NormaliseUserEmails1765000100000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // Only non-ASCII addresses can change: NFKC leaves ASCII as it is.
    const rows: { id: string; email: string }[] = await queryRunner.query(
      `SELECT id, email FROM users WHERE email ~ '[^\\x01-\\x7f]' ORDER BY created_at, id`,
    );
    for (const { id, email } of rows) {
      const normalised = email.normalize('NFKC').toLowerCase();
      if (normalised === email) continue;
      const [taken] = await queryRunner.query(`SELECT id FROM users WHERE email = $1`, [
        normalised,
      ]);
      if (taken) {
        new Logger('Migrations').warn(
          `users ${id}: ${JSON.stringify(email)} is a look-alike of ${taken.id}'s address; left unchanged`,
        );
        continue;
      }
      await queryRunner.query(`UPDATE users SET email = $2, updated_at = now() WHERE id = $1`, [
        id,
        normalised,
      ]);
    }
  }

  async down(): Promise<void> {
    // Nothing to undo: normalised addresses are valid under the earlier rule too.
  }
}
