import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { accessTokenVerifyOptions, SessionsService, type AccessClaims } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import type { Principal } from './principal.js';

/** Bearer access tokens: signature, algorithm, issuer, audience and expiry, then live state. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionsService,
  ) {
    const options = accessTokenVerifyOptions(config);
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: options.secret,
      algorithms: options.algorithms,
      issuer: options.issuer,
      audience: options.audience,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessClaims): Promise<Principal | false> {
    const live = await this.sessions.principalOf(claims);
    return live ? { ...live, claims } : false;
  }
}
