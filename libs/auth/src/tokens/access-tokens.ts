import { Inject, Injectable } from '@nestjs/common';
import { JwtService, type JwtModuleOptions } from '@nestjs/jwt';
import type { Redis } from 'ioredis';
import { createSecretKey, randomUUID } from 'node:crypto';
import type { AppConfig } from '#libs/config';
import { REDIS } from '#libs/redis';
import type { Role } from '../users/user.entity.js';

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

const denyKey = (jti: string) => `auth:deny:${jti}`;

@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  sign(user: { id: string; role: Role }, sessionId: string): string {
    return this.jwt.sign(
      { role: user.role, sid: sessionId },
      { subject: user.id, jwtid: randomUUID() },
    );
  }

  /** Verifies signature, algorithm, issuer, audience and expiry; throws on any failure. */
  verify(token: string): Promise<AccessClaims> {
    return this.jwt.verifyAsync<AccessClaims>(token);
  }

  /** Puts a token's id on the denylist until the token would have expired anyway. */
  async deny(claims: Pick<AccessClaims, 'jti' | 'exp'>): Promise<void> {
    const ttl = claims.exp - Math.floor(Date.now() / 1000);
    if (ttl > 0) await this.redis.set(denyKey(claims.jti), '1', 'EX', ttl);
  }

  async isDenied(jti: string): Promise<boolean> {
    return (await this.redis.exists(denyKey(jti))) === 1;
  }
}
