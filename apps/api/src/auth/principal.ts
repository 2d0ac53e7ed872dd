import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AccessClaims, Role } from '#libs/auth';

/** The authenticated caller, as the guards leave it on the request. */
export interface Principal {
  userId: string;
  role: Role;
  claims: AccessClaims;
}

export const ROLES = 'flashcart:roles';

/** Restricts a route (or controller) to these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** Injects the authenticated caller into a handler. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ user: Principal }>().user,
);
