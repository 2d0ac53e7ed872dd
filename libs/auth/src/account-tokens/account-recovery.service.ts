import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '#libs/platform';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { passwordProblems } from '../passwords/password-policy.js';
import { LivePrincipals } from '../sessions/live-principals.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { User } from '../users/user.entity.js';
import { AccountTokens } from './account-tokens.service.js';

/** What a reset or verification link does once followed. */
@Injectable()
export class AccountRecovery {
  private readonly logger = new Logger('Auth');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: AccountTokens,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly live: LivePrincipals,
  ) {}

  /**
   * Sets the new password and ends every session of the account (refresh tokens, access tokens,
   * sockets: as logout-all), in the transaction that spends the token. A weak password rolls
   * back, leaving the link usable.
   */
  async resetPassword(token: string, password: string): Promise<void> {
    const passwordHash = await this.hasher.hash(password);
    const userId = await this.dataSource.transaction(async (m) => {
      const id = await this.tokens.spend(m, token, 'password_reset');
      const user = await m.findOneByOrFail(User, { id });
      const problems = passwordProblems(password, user.email);
      if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', problems.join('; '));
      await m.update(User, id, { passwordHash });
      await this.sessions.revokeAll(m, id, 'password_reset');
      return id;
    });
    await this.live.changed(userId);
    this.logger.log({ event: 'auth.password_reset', userId }, 'password reset; sessions ended');
  }

  async verifyEmail(token: string): Promise<void> {
    const userId = await this.dataSource.transaction(async (m) => {
      const id = await this.tokens.spend(m, token, 'email_verification');
      await m.query(
        `UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1`,
        [id],
      );
      return id;
    });
    this.logger.log({ event: 'auth.email_verified', userId }, 'email verified');
  }
}
