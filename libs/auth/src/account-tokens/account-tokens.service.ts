import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { DomainError } from '#libs/platform';
import type { AccountTokenPurpose } from './account-token.entity.js';

export const hashAccountToken = (token: string) => createHash('sha256').update(token).digest('hex');

const invalidToken = () =>
  new DomainError('INVALID_ACCOUNT_TOKEN', 'This link is invalid, expired or already used');

/**
 * Single-use, expiring tokens for the links in reset and verification emails: 32 random bytes,
 * stored as their sha256 only. Issuing one deletes the user's older unused tokens of the same
 * purpose, so only the newest link works.
 */
@Injectable()
export class AccountTokens {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new token for the user (the raw value, to put in a link: never stored). */
  async issue(userId: string, purpose: AccountTokenPurpose): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const ttl =
      purpose === 'password_reset'
        ? this.config.email.resetTtlSeconds
        : this.config.email.verificationTtlSeconds;
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `DELETE FROM account_tokens WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
        [userId, purpose],
      );
      await m.query(
        `INSERT INTO account_tokens (user_id, purpose, token_hash, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
        [userId, purpose, hashAccountToken(token), ttl],
      );
    });
    return token;
  }

  /**
   * Spends the token inside the caller's transaction and answers whose it was; one conditional
   * update, so of two concurrent uses exactly one succeeds. Unknown, expired, spent or
   * superseded: the same 400.
   */
  async spend(m: EntityManager, token: string, purpose: AccountTokenPurpose): Promise<string> {
    const [rows] = (await m.query(
      `UPDATE account_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id`,
      [hashAccountToken(token), purpose],
    )) as [{ user_id: string }[], number];
    const userId = rows[0]?.user_id;
    if (!userId) throw invalidToken();
    return userId;
  }

  /** Data rights: what we hold (never a hash). */
  async exportFor(userId: string): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT purpose, created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt"
         FROM account_tokens WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    );
    return rows;
  }

  async eraseFor(userId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM account_tokens WHERE user_id = $1`, [userId]);
  }

  /** Maintenance: tokens past their expiry are worth nothing. */
  async purgeExpired(): Promise<number> {
    const result = await this.dataSource.query(
      `DELETE FROM account_tokens WHERE expires_at < now() - interval '1 day'`,
    );
    return Number(result[1] ?? 0);
  }
}
