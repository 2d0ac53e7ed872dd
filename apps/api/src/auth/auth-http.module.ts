import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '#libs/auth';
import { NotificationsModule } from '#libs/notifications';
import { AdminUsersController } from './admin-users.controller.js';
import { AuthRateLimitGuard } from './auth-rate-limit.guard.js';
import { AuthController } from './auth.controller.js';
import { JwtAuthGuard, RolesGuard } from './auth.guards.js';

/** HTTP side of auth: routes and the global guards (authentication, then roles). */
@Module({
  imports: [AuthModule, NotificationsModule],
  controllers: [AuthController, AdminUsersController],
  providers: [
    AuthRateLimitGuard,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
})
export class AuthHttpModule {}
