import type { EntityManager } from 'typeorm';

/**
 * A lib that holds personal data about a user, for the data-rights registry (DPDP Act 2023 /
 * GDPR; docs/accounts.md): it contributes its sections of the user's export, and erases or
 * anonymises what it holds. Each lib writes only its own tables, inside the transaction it is
 * given (the erasure is one transaction across every holder). The list of holders is declared
 * once, in libs/accounts (`PERSONAL_DATA_HOLDER_TYPES`); a new lib with personal data implements
 * this, exports the class from its module, and is added there.
 *
 * Lives in platform, not accounts, because the holders sit below accounts (auth, orders,
 * notifications) and libs import only downward.
 */
export interface PersonalDataHolder {
  /**
   * The export's sections this lib fills (e.g. `{ orders: [...] }`): everything it holds about
   * the user and nothing about anyone else, never a secret (password or token hashes).
   */
  exportFor(m: EntityManager, userId: string): Promise<Record<string, unknown>>;
  /** Erases or anonymises what it holds about the user, in the caller's transaction. */
  eraseFor(m: EntityManager, userId: string): Promise<void>;
  /** After the erasure committed: what cannot wait on the transaction (ending live sessions). */
  afterErase?(userId: string): Promise<void>;
}

/** The DI token of the list of every `PersonalDataHolder` (libs/accounts provides it). */
export const PERSONAL_DATA_HOLDERS = Symbol('PERSONAL_DATA_HOLDERS');
