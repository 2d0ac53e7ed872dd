import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuthModule } from '#libs/auth';
import { AdminUsersController } from './admin-users.controller.js';
import { AuthRateLimitGuard } from './auth-rate-limit.guard.js';
import { AuthController } from './auth.controller.js';
import { JwtAuthGuard, RolesGuard } from './auth.guards.js';
import { JwtStrategy } from './jwt.strategy.js';

/** HTTP side of auth: routes, the bearer strategy and the global guards (in this order). */
@Module({
  imports: [AuthModule, PassportModule],
  controllers: [AuthController, AdminUsersController],
  providers: [
    JwtStrategy,
    AuthRateLimitGuard,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
})
export class AuthHttpModule {}
