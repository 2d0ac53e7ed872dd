import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UsersService } from '#libs/auth';
import { DomainError, PERSONAL_DATA_HOLDERS, type PersonalDataHolder } from '#libs/platform';
import '../accounts-errors.js';

/** What a user downloads: every holder's sections, with when and for whom it was made. */
export type PersonalDataExport = { exportedAt: string; userId: string } & Record<string, unknown>;

/**
 * The data rights of DPDP Act 2023 / GDPR over every registered `PersonalDataHolder`: the export
 * (one consistent snapshot of everything held about the caller) and the erasure (one
 * transaction across every holder, then each holder's after-commit step).
 */
@Injectable()
export class DataRights {
  private readonly logger = new Logger(DataRights.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PERSONAL_DATA_HOLDERS) private readonly holders: PersonalDataHolder[],
    private readonly users: UsersService,
  ) {}

  async exportFor(userId: string): Promise<PersonalDataExport> {
    const sections = await this.db.transaction('REPEATABLE READ', async (m) => {
      const parts: Record<string, unknown>[] = [];
      for (const holder of this.holders) parts.push(await holder.exportFor(m, userId));
      return Object.assign({}, ...parts) as Record<string, unknown>;
    });
    return { exportedAt: new Date().toISOString(), userId, ...sections };
  }

  /** The customer deletes their own account, confirming with their password (403 if wrong). */
  async eraseOwnAccount(userId: string, password: string): Promise<void> {
    if (!(await this.users.verifyPassword(userId, password)))
      throw new DomainError('PASSWORD_INCORRECT', 'The password is not this account’s');
    await this.erase(userId, userId);
  }

  /** An admin erases a customer's account on their request (404 unknown, 409 not a customer). */
  async eraseOnRequest(
    adminId: string,
    userId: string,
  ): Promise<{ userId: string; erasedAt: string }> {
    const user = await this.users.get(userId);
    if (user.role !== 'customer')
      throw new DomainError(
        'CONFLICT',
        `Only customer accounts are erased here; this is a ${user.role}`,
      );
    await this.erase(userId, adminId);
    const after = await this.users.get(userId);
    return { userId, erasedAt: after.erasedAt!.toISOString() };
  }

  private async erase(userId: string, by: string): Promise<void> {
    await this.db.transaction(async (m) => {
      for (const holder of this.holders) await holder.eraseFor(m, userId);
    });
    for (const holder of this.holders) await holder.afterErase?.(userId);
    this.logger.log({ event: 'account.erased', userId, by }, 'account erased');
  }
}
