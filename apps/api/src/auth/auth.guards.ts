import { type ExecutionContext, Injectable, type CanActivate } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Authenticator, type Role } from '#libs/auth';
import { DomainError, IS_PUBLIC } from '#libs/platform';
import { ROLES, type Principal } from './principal.js';

const unauthorized = () => new DomainError('UNAUTHORIZED', 'A valid access token is required');

/**
 * Global: every route needs a valid, live bearer token unless marked @Public() (the Authenticator
 * decides, as it does for sockets and the queue board).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: Authenticator,
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
    const principal = await this.auth.fromAuthorizationHeader(request.headers.authorization);
    if (!principal) throw unauthorized();
    request.user = principal;
    return true;
  }
}

/** Global: @Roles() restricts a route or controller (every admin controller declares it). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<{ user?: Principal }>();
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) return true;
    if (!request.user || !required.includes(request.user.role)) {
      throw new DomainError('FORBIDDEN', `This requires the ${required.join(' or ')} role`);
    }
    return true;
  }
}
