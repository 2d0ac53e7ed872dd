import { Inject, Injectable } from '@nestjs/common';
import { JwtService, type JwtModuleOptions } from '@nestjs/jwt';
import { createSecretKey, randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { ROLES, type Role } from '../users/user.entity.js';

/** What an access token says. `sid` is the login session (refresh-token family). */
export interface AccessClaims {
  sub: string;
  role: Role;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

export const ACCESS_TOKEN_ALGORITHM = 'HS256';

/**
 * The access-token policy in one place: HS256 only (`alg: none` and friends are refused), our
 * issuer and audience. The secret is a KeyObject because jsonwebtoken first tries to parse a
 * string secret as a public key and throws, on every verify (a tenth of the api's CPU under load).
 */
export function accessTokenOptions(config: AppConfig): JwtModuleOptions {
  return {
    secret: createSecretKey(Buffer.from(config.auth.accessSecret)),
    signOptions: {
      algorithm: ACCESS_TOKEN_ALGORITHM,
      expiresIn: config.auth.accessTtlSeconds,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
    },
    verifyOptions: {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: config.auth.issuer,
      audience: config.auth.audience,
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A validly signed token is still refused unless every claim we rely on is well-formed: the ids
 * reach PostgreSQL as uuids (a non-uuid answered 500 and leaked the database's text to sockets),
 * and a token without `exp` would never expire.
 */
function wellFormed(claims: Partial<Record<keyof AccessClaims, unknown>>): boolean {
  return (
    typeof claims.sub === 'string' &&
    UUID.test(claims.sub) &&
    typeof claims.sid === 'string' &&
    UUID.test(claims.sid) &&
    typeof claims.role === 'string' &&
    (ROLES as readonly string[]).includes(claims.role) &&
    typeof claims.jti === 'string' &&
    claims.jti.length > 0 &&
    claims.jti.length <= 128 &&
    typeof claims.exp === 'number' &&
    Number.isFinite(claims.exp)
  );
}

@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  sign(user: { id: string; role: Role }, sessionId: string): string {
    return this.jwt.sign(
      { role: user.role, sid: sessionId },
      { subject: user.id, jwtid: randomUUID() },
    );
  }

  /**
   * Verifies signature, algorithm, issuer, audience and expiry, and that the claims are
   * well-formed; throws on any failure.
   */
  async verify(token: string): Promise<AccessClaims> {
    const claims = await this.jwt.verifyAsync<AccessClaims>(token);
    if (!wellFormed(claims)) throw new Error('access token claims are malformed');
    return claims;
  }

  /**
   * The browser pages' session cookie: the same policy and claims as an access token, but its own
   * audience (a cookie is never a bearer token, nor a bearer token a cookie) and it lasts as long
   * as its session. Revocation is the session's: every use is checked live like a token.
   */
  signSessionCookie(user: { id: string; role: Role }, sessionId: string, expiresAt: Date): string {
    return this.jwt.sign(
      { role: user.role, sid: sessionId },
      {
        subject: user.id,
        jwtid: randomUUID(),
        audience: this.pagesAudience(),
        expiresIn: Math.max(1, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
      },
    );
  }

  async verifySessionCookie(value: string): Promise<AccessClaims> {
    const claims = await this.jwt.verifyAsync<AccessClaims>(value, {
      audience: this.pagesAudience(),
    });
    if (!wellFormed(claims)) throw new Error('session cookie claims are malformed');
    return claims;
  }

  private pagesAudience(): string {
    return `${this.config.auth.audience}/pages`;
  }
}
