import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import type { Principal } from '../authenticator.js';
import { AccessTokens } from '../tokens/access-tokens.js';
import type { Role, User } from '../users/user.entity.js';
import { AuthSession } from './auth-session.entity.js';
import { SessionsService } from './sessions.service.js';

/** A browser page session: the cookie's value and when it (and its auth session) ends. */
export interface PageSession {
  cookie: string;
  expiresAt: Date;
  role: Role;
}

/**
 * Sessions of the browser pages (sign-in form, ops board, queue board, tracking page). Each is an
 * ordinary auth_sessions row, so logout, logout-all and disabling the user end it at once, exactly
 * as they end tokens; its credential is an HttpOnly cookie instead of a refresh token. The pages
 * never send the cookie to the REST API (its Path is the pages'): they exchange it for a
 * short-lived access token of the same session and call the API with that, bearer-only.
 */
@Injectable()
export class PageSessions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: AccessTokens,
    private readonly sessions: SessionsService,
  ) {}

  /** Opens a session for a user who just proved who they are (no refresh token is issued). */
  async start(user: User): Promise<PageSession> {
    const expiresAt = new Date(Date.now() + this.config.auth.refreshTtlSeconds * 1000);
    const session = await this.dataSource.manager.save(
      this.dataSource.manager.create(AuthSession, {
        userId: user.id,
        expiresAt,
        revokedAt: null,
        revokedReason: null,
      }),
    );
    return {
      cookie: this.tokens.signSessionCookie(user, session.id, expiresAt),
      expiresAt,
      role: user.role,
    };
  }

  /** A short-lived access token of the page's own session, for the page's REST and socket calls. */
  accessToken(principal: Principal): { accessToken: string; expiresIn: number } {
    return {
      accessToken: this.tokens.sign(
        { id: principal.userId, role: principal.role },
        principal.claims.sid,
      ),
      expiresIn: this.config.auth.accessTtlSeconds,
    };
  }

  /** Signing out of the pages ends the session: the cookie and every token of it stop working. */
  end(principal: Principal): Promise<void> {
    return this.sessions.logout(principal.claims);
  }
}
