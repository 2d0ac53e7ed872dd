import { Inject, Injectable } from '@nestjs/common';
import { JwtService, type JwtVerifyOptions } from '@nestjs/jwt';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '#libs/config';
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

/** Verification pins the algorithm, issuer and audience: `alg: none` and friends are refused. */
export function accessTokenVerifyOptions(config: AppConfig): JwtVerifyOptions & {
  secret: string;
  algorithms: ['HS256'];
  issuer: string;
  audience: string;
} {
  return {
    secret: config.auth.accessSecret,
    algorithms: [ACCESS_TOKEN_ALGORITHM],
    issuer: config.auth.issuer,
    audience: config.auth.audience,
  };
}

const denyKey = (jti: string) => `auth:deny:${jti}`;

@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  sign(user: { id: string; role: Role }, sessionId: string): string {
    return this.jwt.sign(
      { role: user.role, sid: sessionId },
      {
        secret: this.config.auth.accessSecret,
        algorithm: ACCESS_TOKEN_ALGORITHM,
        expiresIn: this.config.auth.accessTtlSeconds,
        issuer: this.config.auth.issuer,
        audience: this.config.auth.audience,
        subject: user.id,
        jwtid: randomUUID(),
      },
    );
  }

  /** Verifies signature, algorithm, issuer, audience and expiry; throws on any failure. */
  verify(token: string): Promise<AccessClaims> {
    return this.jwt.verifyAsync<AccessClaims>(token, accessTokenVerifyOptions(this.config));
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
