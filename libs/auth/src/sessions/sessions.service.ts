import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { queryPrepared } from '#libs/database';
import { DomainError } from '#libs/platform';
import { AccessTokens, type AccessClaims } from '../tokens/access-tokens.js';
import { RefreshGrace } from '../tokens/refresh-grace.js';
import { User } from '../users/user.entity.js';
import { toUserView, type UserView } from '../users/user-view.js';
import { AuthSession } from './auth-session.entity.js';
import { LivePrincipals } from './live-principals.js';
import { RefreshToken } from './refresh-token.entity.js';

/** What signup, login and refresh answer. */
export interface TokenPair {
  user: UserView;
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime, seconds. */
  expiresIn: number;
}

type RefreshOutcome =
  { kind: 'issued'; pair: TokenPair } | { kind: 'reused'; session: AuthSession };

const invalidRefresh = () =>
  new DomainError('INVALID_REFRESH_TOKEN', 'Refresh token is invalid, expired or revoked');

/**
 * Login sessions and their refresh-token families. A refresh token is spent by use; presenting a
 * spent one after the grace window is treated as theft and revokes the whole family.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Auth');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accessTokens: AccessTokens,
    private readonly grace: RefreshGrace,
    private readonly live: LivePrincipals,
  ) {}

  /** Starts a session for a user who just proved who they are. */
  start(user: User): Promise<TokenPair> {
    return this.dataSource.transaction(async (m) => {
      const session = await m.save(
        m.create(AuthSession, {
          userId: user.id,
          expiresAt: this.refreshExpiry(),
          revokedAt: null,
          revokedReason: null,
        }),
      );
      return this.issue(m, user, session);
    });
  }

  async refresh(token: string): Promise<TokenPair> {
    const hash = this.hashOf(token);
    const outcome = await this.dataSource.transaction(async (m): Promise<RefreshOutcome> => {
      // The row lock serialises concurrent uses of one token: the second sees it spent.
      const row = await m.findOne(RefreshToken, {
        where: { tokenHash: hash },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row || row.expiresAt <= new Date()) throw invalidRefresh();
      const session = await m.findOneByOrFail(AuthSession, { id: row.sessionId });
      if (session.revokedAt) throw invalidRefresh();
      const user = await m.findOneByOrFail(User, { id: session.userId });
      if (user.disabled) throw new DomainError('ACCOUNT_DISABLED', 'This account is disabled');

      if (row.usedAt) {
        const age = (Date.now() - row.usedAt.getTime()) / 1000;
        if (age <= this.grace.seconds) {
          const pair = await this.grace.recall<TokenPair>(token, hash);
          if (pair) return { kind: 'issued', pair };
          throw invalidRefresh();
        }
        await this.revoke(m, { id: session.id }, 'refresh_token_reuse');
        return { kind: 'reused', session };
      }

      await m.update(RefreshToken, row.id, { usedAt: new Date() });
      const pair = await this.issue(m, user, session);
      await this.grace.remember(token, hash, pair);
      return { kind: 'issued', pair };
    });

    if (outcome.kind === 'reused') {
      await this.live.changed(outcome.session.userId);
      this.logger.warn(
        {
          event: 'auth.refresh_reuse',
          userId: outcome.session.userId,
          sessionId: outcome.session.id,
        },
        'spent refresh token presented again: session revoked',
      );
      throw new DomainError(
        'REFRESH_TOKEN_REUSED',
        'Refresh token was already used; this session has been revoked, log in again',
      );
    }
    return outcome.pair;
  }

  /** Ends the caller's session (and the session of `refreshToken`, if it is theirs). */
  async logout(claims: AccessClaims, refreshToken?: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.revoke(m, { id: claims.sid }, 'logout');
      if (refreshToken) {
        const row = await m.findOneBy(RefreshToken, { tokenHash: this.hashOf(refreshToken) });
        if (row) await this.revoke(m, { id: row.sessionId, userId: claims.sub }, 'logout');
      }
    });
    await this.live.changed(claims.sub);
  }

  /** Ends every session of the user: all their refresh and access tokens stop working. */
  async logoutAll(claims: AccessClaims): Promise<void> {
    await this.dataSource.transaction((m) => this.revoke(m, { userId: claims.sub }, 'logout_all'));
    await this.live.changed(claims.sub);
  }

  /** Ends every session of the user inside the caller's transaction; call `LivePrincipals.changed` after the commit. */
  revokeAll(m: EntityManager, userId: string, reason: string): Promise<void> {
    return this.revoke(m, { userId }, reason);
  }

  /**
   * The live state behind an access token: the token is refused once its session is revoked
   * (logout, logout-all, refresh-token reuse, disabling) or its user disabled. The role comes
   * from the database, so changes apply at once. Remembered per process (`LivePrincipals`):
   * no round trip on the hot path, every change heard everywhere within milliseconds.
   */
  async principalOf(claims: AccessClaims): Promise<{ userId: string; role: User['role'] } | null> {
    const role =
      this.live.get(claims.sub, claims.sid) ??
      (await this.live.lookup(claims.sub, claims.sid, async () => {
        const [row] = await queryPrepared<{ role: User['role'] }>(
          this.dataSource.manager,
          'principal-of-token',
          `SELECT u.role FROM users u JOIN auth_sessions s ON s.user_id = u.id
            WHERE u.id = $1 AND s.id = $2 AND NOT u.disabled AND s.revoked_at IS NULL`,
          [claims.sub, claims.sid],
        );
        return row?.role ?? null;
      }));
    return role ? { userId: claims.sub, role } : null;
  }

  /**
   * Deletes expired refresh tokens and long-dead sessions (maintenance job). Spent tokens stay
   * until they expire: they are what reuse detection recognises.
   */
  async purgeExpired(): Promise<number> {
    const tokens = await this.dataSource.query(
      `DELETE FROM refresh_tokens WHERE expires_at < now()`,
    );
    const sessions = await this.dataSource.query(
      `DELETE FROM auth_sessions WHERE expires_at < now() - interval '1 day'`,
    );
    return Number(tokens[1] ?? 0) + Number(sessions[1] ?? 0);
  }

  private async issue(m: EntityManager, user: User, session: AuthSession): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await m.insert(RefreshToken, {
      sessionId: session.id,
      tokenHash: this.hashOf(refreshToken),
      expiresAt: session.expiresAt,
    });
    return {
      user: toUserView(user),
      accessToken: this.accessTokens.sign(user, session.id),
      refreshToken,
      expiresIn: this.config.auth.accessTtlSeconds,
    };
  }

  private async revoke(
    m: EntityManager,
    where: { id?: string; userId?: string },
    reason: string,
  ): Promise<void> {
    await m.update(
      AuthSession,
      { ...where, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.auth.refreshTtlSeconds * 1000);
  }

  /** Refresh tokens are stored only as an HMAC keyed by JWT_REFRESH_SECRET. */
  private hashOf(token: string): string {
    return createHmac('sha256', this.config.auth.refreshSecret).update(token).digest('hex');
  }
}
