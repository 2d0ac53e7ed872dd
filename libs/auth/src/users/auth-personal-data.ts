import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '#libs/platform';
import { AccountTokens } from '../account-tokens/account-tokens.service.js';
import { LivePrincipals } from '../sessions/live-principals.js';
import { User } from './user.entity.js';
import { toUserView } from './user-view.js';

/**
 * Auth's personal data: the profile and the sessions (never a password or token hash). Erasure
 * keeps the users row (orders, ratings and the timeline refer to it) with the email, name and
 * phone replaced and the password made unusable, disables it, ends every session and deletes
 * their refresh tokens; after the commit, every api instance drops the user's live principals, so
 * open sockets are disconnected at once (as logout-all and disabling do).
 */
@Injectable()
export class AuthPersonalData implements PersonalDataHolder {
  constructor(
    private readonly live: LivePrincipals,
    private readonly accountTokens: AccountTokens,
  ) {}

  async exportFor(m: EntityManager, userId: string): Promise<Record<string, unknown>> {
    const user = await m.findOneByOrFail(User, { id: userId });
    const sessions = await m.query(
      `SELECT id, created_at AS "createdAt", expires_at AS "expiresAt",
              revoked_at AS "revokedAt", revoked_reason AS "revokedReason"
         FROM auth_sessions WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    return {
      profile: { ...toUserView(user), updatedAt: user.updatedAt.toISOString() },
      sessions: sessions.map((s: Record<string, Date | string | null>) => ({
        id: s.id,
        createdAt: (s.createdAt as Date).toISOString(),
        expiresAt: (s.expiresAt as Date).toISOString(),
        ...(s.revokedAt ? { revokedAt: (s.revokedAt as Date).toISOString() } : {}),
        ...(s.revokedReason ? { revokedReason: s.revokedReason } : {}),
      })),
      // Reset and verification links sent (when, used, expiry; never the token or its hash).
      accountTokens: await this.accountTokens.exportFor(userId),
    };
  }

  async eraseFor(m: EntityManager, userId: string): Promise<void> {
    // '!' is no argon2 hash: no password verifies against it.
    await m.query(
      `UPDATE users SET email = 'erased-' || id || '@erased.invalid', name = 'Erased user',
              phone = NULL, password_hash = '!', disabled = true,
              erased_at = COALESCE(erased_at, now()), updated_at = now()
        WHERE id = $1`,
      [userId],
    );
    await m.query(
      `DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM auth_sessions WHERE user_id = $1)`,
      [userId],
    );
    await m.query(
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'account_erased'
        WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
    await this.accountTokens.eraseFor(userId, m);
  }

  afterErase(userId: string): Promise<void> {
    return this.live.changed(userId);
  }
}

/**
 * A SQL condition other libs put in a write for a user (notifications): true while the account
 * is not erased, holding a share lock on the users row so an erasure running meanwhile either
 * waits for that write (and then removes it) or commits first (and the write finds it erased).
 */
export function userNotErasedSql(userParam: string): string {
  return `EXISTS (SELECT 1 FROM users WHERE id = ${userParam} AND erased_at IS NULL FOR SHARE)`;
}
