import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { AccountRecovery } from './account-tokens/account-recovery.service.js';
import { AccountToken } from './account-tokens/account-token.entity.js';
import { AccountTokens } from './account-tokens/account-tokens.service.js';
import { AuthService } from './auth.service.js';
import { Authenticator } from './authenticator.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { AuthSession } from './sessions/auth-session.entity.js';
import { LivePrincipals } from './sessions/live-principals.js';
import { PageSessions } from './sessions/page-sessions.service.js';
import { RefreshToken } from './sessions/refresh-token.entity.js';
import { SessionsService } from './sessions/sessions.service.js';
import { AccessTokens, accessTokenOptions } from './tokens/access-tokens.js';
import { RefreshGrace } from './tokens/refresh-grace.js';
import { AuthPersonalData } from './users/auth-personal-data.js';
import { User } from './users/user.entity.js';
import { UsersService } from './users/users.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, AuthSession, RefreshToken, AccountToken]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => accessTokenOptions(config),
    }),
  ],
  providers: [
    AccountTokens,
    AccountRecovery,
    AuthService,
    Authenticator,
    SessionsService,
    LivePrincipals,
    PageSessions,
    UsersService,
    PasswordHasher,
    AccessTokens,
    RefreshGrace,
    AuthPersonalData,
  ],
  exports: [
    AccountTokens,
    AccountRecovery,
    AuthService,
    Authenticator,
    SessionsService,
    PageSessions,
    UsersService,
    AccessTokens,
    AuthPersonalData,
  ],
})
export class AuthModule {}
