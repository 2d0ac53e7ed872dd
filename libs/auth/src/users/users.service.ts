import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, IsNull, Repository } from 'typeorm';
import { conflictOnUnique } from '#libs/database';
import { decodeCursor, DomainError, NotFoundError, toPage, type Page } from '#libs/platform';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { passwordProblems } from '../passwords/password-policy.js';
import { AuthSession } from '../sessions/auth-session.entity.js';
import { LivePrincipals } from '../sessions/live-principals.js';
import { canonicalEmail, emailSearchTerm } from './email-address.js';
import { User, type Role } from './user.entity.js';
import { toUserView, type UserView } from './user-view.js';

export interface UserFilter {
  role?: Role;
  email?: string;
  /** Part of the email, name or phone number. */
  q?: string;
  limit: number;
  cursor?: string;
}

export interface NewUser {
  email: string;
  password: string;
  name: string;
  phone?: string;
  role?: Role;
}

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly live: LivePrincipals,
  ) {}

  /** Creates a user; 400 naming the field for a weak password, 409 for a taken email. */
  async create(input: NewUser): Promise<User> {
    const email = canonicalEmail(input.email);
    const problems = passwordProblems(input.password, email);
    if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', problems.join('; '));
    const user = this.users.create({
      email,
      passwordHash: await this.hasher.hash(input.password),
      name: input.name.trim(),
      phone: input.phone ?? null,
      role: input.role ?? 'customer',
      disabled: false,
    });
    return conflictOnUnique(
      () => this.users.save(user),
      'users_email_key',
      'An account with this email already exists',
      'EMAIL_TAKEN',
    );
  }

  /** Creates the user or brings an existing one to this role and password (CLI, seed). */
  async upsert(input: NewUser & { role: Role }): Promise<{ user: User; created: boolean }> {
    const existing = await this.users.findOneBy({ email: canonicalEmail(input.email) });
    if (!existing) return { user: await this.create(input), created: true };
    const problems = passwordProblems(input.password, existing.email);
    if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', problems.join('; '));
    await this.users.update(existing.id, {
      role: input.role,
      disabled: false,
      passwordHash: await this.hasher.hash(input.password),
    });
    return { user: await this.users.findOneByOrFail({ id: existing.id }), created: false };
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundError('User');
    return user;
  }

  /** Whether `password` is this user's (re-authentication before a destructive change). */
  async verifyPassword(id: string, password: string): Promise<boolean> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id })
      .getOne();
    return this.hasher.verify(user?.passwordHash, password);
  }

  /** The ids of the enabled users with a role, oldest first (e.g. the admins to alert). */
  async activeIds(role: Role): Promise<string[]> {
    const users = await this.users.find({
      select: { id: true },
      where: { role, disabled: false },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return users.map((u) => u.id);
  }

  /** The account of an email address (canonicalised), if any. */
  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: canonicalEmail(email) });
  }

  /** With the password hash, for login only; a malformed or look-alike email is a 400. */
  async findForLogin(email: string): Promise<User | null> {
    const canonical = canonicalEmail(email);
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: canonical })
      .getOne();
  }

  /**
   * The users an ops search term names (at most 50): an email address exactly (canonical form;
   * `field` is named in a 400 when it is malformed), or a phone number by its digits (7 to 15,
   * spaces, dashes and a leading + ignored), matching stored numbers that end with them or that
   * they end with (a country code on either side).
   */
  async idsByContact(term: string, field = 'q'): Promise<string[]> {
    if (term.includes('@')) {
      const user = await this.users.findOneBy({ email: canonicalEmail(term, field) });
      return user ? [user.id] : [];
    }
    const digits = term.replace(/[\s()+-]/g, '');
    if (!/^[0-9]{7,15}$/.test(digits)) return [];
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM (SELECT id, created_at, regexp_replace(phone, '[^0-9]', '', 'g') AS digits
                         FROM users WHERE phone IS NOT NULL) u
        WHERE length(digits) >= 7 AND (digits LIKE '%' || $1 OR $1 LIKE '%' || digits)
        ORDER BY created_at DESC, id LIMIT 50`,
      [digits],
    );
    return rows.map((r) => r.id);
  }

  /** Newest first, keyset paginated on (created_at, id). */
  async list(filter: UserFilter): Promise<Page<UserView>> {
    const query = this.users
      .createQueryBuilder('u')
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
    if (filter.email) {
      query.andWhere(`u.email LIKE :email ESCAPE '\\'`, {
        email: `%${emailSearchTerm(filter.email).replace(/[\\%_]/g, '\\$&')}%`,
      });
    }
    if (filter.q !== undefined && filter.q.trim() !== '') {
      const like = (term: string) => `%${term.replace(/[\\%_]/g, '\\$&')}%`;
      const term = filter.q.trim().normalize('NFKC').toLowerCase();
      // Names have spaces; what a person cannot type or see has no business in a search.
      if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(term))
        throw new DomainError(
          'VALIDATION_FAILED',
          'q must not contain control or invisible characters',
        );
      const digits = term.replace(/\D/g, '');
      query.andWhere(
        new Brackets((w) => {
          w.where(`u.email LIKE :qEmail ESCAPE '\\'`, { qEmail: like(term) }).orWhere(
            `lower(u.name) LIKE :qName ESCAPE '\\'`,
            { qName: like(term) },
          );
          // A phone is matched on its digits, so "+91 98450" finds "+919845012345".
          if (digits.length >= 3)
            w.orWhere(`regexp_replace(u.phone, '\\D', '', 'g') LIKE :qPhone`, {
              qPhone: `%${digits}%`,
            });
        }),
      );
    }
    if (filter.cursor) {
      const [createdAt, id] = decodeCursor(filter.cursor, ['timestamp', 'uuid']);
      query.andWhere('(u.created_at, u.id) < (:createdAt, :id)', { createdAt, id });
    }
    const page = toPage(await query.getMany(), filter.limit, (u) => [
      u.createdAt.toISOString(),
      u.id,
    ]);
    return { items: page.items.map(toUserView), nextCursor: page.nextCursor };
  }

  /**
   * Admin change of role / disabled. Disabling revokes every session, so the user's live access
   * tokens fail from the next request. An admin cannot lock themselves out.
   */
  async update(
    actorId: string,
    id: string,
    change: { role?: Role; disabled?: boolean },
  ): Promise<User> {
    if (actorId === id && (change.disabled === true || (change.role && change.role !== 'admin'))) {
      throw new DomainError('CONFLICT', 'Admins cannot disable or demote themselves');
    }
    const user = await this.dataSource.transaction(async (m) => {
      const before = await m.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw new NotFoundError('User');
      await m.update(User, id, change);
      if (change.disabled) {
        await m.update(
          AuthSession,
          { userId: id, revokedAt: IsNull() },
          { revokedAt: new Date(), revokedReason: 'user_disabled' },
        );
      }
      const after = await m.findOneByOrFail(User, { id });
      if (before.role !== after.role || before.disabled !== after.disabled) {
        this.logger.log(
          {
            event: 'user.changed',
            actorId,
            userId: id,
            from: { role: before.role, disabled: before.disabled },
            to: change,
          },
          'user role/status changed',
        );
      }
      return after;
    });
    await this.live.changed(id);
    return user;
  }
}
