import { Injectable } from '@nestjs/common';
import { SessionsService } from './sessions/sessions.service.js';
import { AccessTokens, type AccessClaims } from './tokens/access-tokens.js';
import type { Role } from './users/user.entity.js';

/** The authenticated caller: a live user, its role now, and the token's claims. */
export interface Principal {
  userId: string;
  role: Role;
  claims: AccessClaims;
}

/**
 * The one way from a bearer token to a principal, for HTTP routes, the tracking socket and the
 * queue board alike: the token is verified (pinned algorithm, issuer, audience, well-formed
 * claims), then checked live against its session, its user and the denylist. Anything wrong with
 * the token is `null`; a database failure throws (a 5xx, never a silent refusal).
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly sessions: SessionsService,
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

  /** The principal again, for a long-lived connection: null once logged out, revoked or disabled. */
  async stillLive(claims: AccessClaims): Promise<Principal | null> {
    const live = await this.sessions.principalOf(claims);
    return live ? { ...live, claims } : null;
  }
}
