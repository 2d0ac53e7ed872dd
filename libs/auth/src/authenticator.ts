import { Injectable } from '@nestjs/common';
import { LivePrincipals } from './sessions/live-principals.js';
import { SessionsService } from './sessions/sessions.service.js';
import { AccessTokens, type AccessClaims } from './tokens/access-tokens.js';
import type { Role } from './users/user.entity.js';

/** The authenticated caller: a live user, its role now, and the token's claims. */
export interface Principal {
  userId: string;
  role: Role;
  claims: AccessClaims;
}

/** The browser pages' session cookie (HttpOnly; its Path is the pages', never the REST API's). */
export const SESSION_COOKIE = 'flashcart_session';

/**
 * The one way from a credential (a bearer token, or the pages' session cookie) to a principal,
 * for HTTP routes, the tracking socket, the queue board and the pages alike: the token is verified (pinned algorithm, issuer, audience, well-formed
 * claims), then checked live against its session and its user (LivePrincipals). Anything wrong with
 * the token is `null`; a database failure throws (a 5xx, never a silent refusal).
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly sessions: SessionsService,
    private readonly live: LivePrincipals,
  ) {}

  async fromToken(token: unknown): Promise<Principal | null> {
    if (typeof token !== 'string' || token.length === 0) return null;
    const claims = await this.tokens.verify(token).catch(() => null);
    return claims ? this.stillLive(claims) : null;
  }

  /** From an `Authorization: Bearer <token>` header value. */
  fromAuthorizationHeader(header: string | undefined): Promise<Principal | null> {
    const [scheme, token] = (header ?? '').split(' ');
    return scheme?.toLowerCase() === 'bearer' ? this.fromToken(token) : Promise.resolve(null);
  }

  /**
   * From a `Cookie` header: the pages' session cookie, checked live like a token (its session
   * revoked by logout or logout-all, or its user disabled: null at once).
   */
  async fromSessionCookie(cookieHeader: string | undefined): Promise<Principal | null> {
    const value = cookieValue(cookieHeader, SESSION_COOKIE);
    if (!value) return null;
    const claims = await this.tokens.verifySessionCookie(value).catch(() => null);
    return claims ? this.stillLive(claims) : null;
  }

  /**
   * The principal again, for a long-lived connection: its role now, or null once logged out,
   * revoked or disabled. Answered from the process's memory while nothing changed (no round trip).
   */
  async stillLive(claims: AccessClaims): Promise<Principal | null> {
    const live = await this.sessions.principalOf(claims);
    return live ? { ...live, claims } : null;
  }

  /**
   * Tells `listener` the moment any process changes a user or ends one of their sessions (role
   * change, disabling, logout…), so a long-lived connection can call `stillLive` again at once.
   */
  onChange(listener: (userId: string) => void): () => void {
    return this.live.onChange(listener);
  }
}

/** One cookie's value from a Cookie header (the first of that name), or undefined. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
