import { type ExecutionContext, Injectable, type CanActivate } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AccessTokens, SessionsService, type AccessClaims, type Role } from '#libs/auth';
import { DomainError, IS_PUBLIC } from '#libs/platform';
import { ROLES, type Principal } from './principal.js';

const unauthorized = () => new DomainError('UNAUTHORIZED', 'A valid access token is required');

/**
 * Global: every route needs a valid, live bearer token unless marked @Public(). The token is
 * verified with a pinned algorithm, issuer and audience, then checked against its session, its
 * user and the denylist. A database failure is an error (5xx), never a silent 401.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Sockets authenticate in the tracking gateway's handshake.
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthorized();
    let claims: AccessClaims;
    try {
      claims = await this.tokens.verify(token);
    } catch {
      throw unauthorized();
    }
    const live = await this.sessions.principalOf(claims);
    if (!live) throw unauthorized();
    request.user = { ...live, claims };
    return true;
  }
}

/** Global: @Roles() restricts routes; anything under /v1/admin is admin-only regardless. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<{ user?: Principal; url: string }>();
    const declared = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    const required = request.url.startsWith('/v1/admin') ? ['admin'] : declared;
    if (!required || required.length === 0) return true;
    if (!request.user || !required.includes(request.user.role)) {
      throw new DomainError('FORBIDDEN', `This requires the ${required.join(' or ')} role`);
    }
    return true;
  }
}
