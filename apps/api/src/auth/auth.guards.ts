import { type ExecutionContext, Injectable, type CanActivate } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Role } from '#libs/auth';
import { DomainError, IS_PUBLIC } from '#libs/platform';
import { ROLES, type Principal } from './principal.js';

/** Global: every route needs a valid, live access token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<T>(err: unknown, user: T | false): T {
    if (err || !user) {
      throw new DomainError('UNAUTHORIZED', 'A valid access token is required');
    }
    return user;
  }
}

/** Global: @Roles() restricts routes; anything under /v1/admin is admin-only regardless. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
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
