import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '#libs/platform';
import { PasswordHasher } from './passwords/password-hasher.js';
import { PageSessions, type PageSession } from './sessions/page-sessions.service.js';
import { SessionsService, type TokenPair } from './sessions/sessions.service.js';
import type { User } from './users/user.entity.js';
import { UsersService, type NewUser } from './users/users.service.js';

/** Signup and login: who you are, then a session. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly pageSessions: PageSessions,
  ) {}

  async signup(input: Omit<NewUser, 'role'>): Promise<TokenPair> {
    const user = await this.users.create({ ...input, role: 'customer' });
    this.logger.log({ event: 'auth.signup', userId: user.id }, 'signed up');
    return this.sessions.start(user);
  }

  async login(email: string, password: string): Promise<TokenPair> {
    return this.sessions.start(await this.authenticate(email, password));
  }

  /** The browser pages' sign-in: the same checks as login, a cookie session instead of tokens. */
  async loginToPages(email: string, password: string): Promise<PageSession> {
    return this.pageSessions.start(await this.authenticate(email, password));
  }

  private async authenticate(email: string, password: string): Promise<User> {
    const user = await this.users.findForLogin(email);
    // Unknown email and wrong password: same work, same answer.
    const ok = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !ok) {
      this.logger.warn({ event: 'auth.login_failed', userId: user?.id }, 'login failed');
      throw new DomainError('INVALID_CREDENTIALS', 'Email or password is incorrect');
    }
    if (user.disabled) {
      this.logger.warn(
        { event: 'auth.login_disabled', userId: user.id },
        'disabled user tried to log in',
      );
      throw new DomainError('ACCOUNT_DISABLED', 'This account is disabled');
    }
    this.logger.log({ event: 'auth.login', userId: user.id }, 'logged in');
    return user;
  }
}
