import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { StoresService, type ServiceableStore } from '#libs/inventory';
import type { DeliveryAddress } from '#libs/orders';
import { DomainError, NotFoundError } from '#libs/platform';
import '../accounts-errors.js';
import { CustomerAddress } from './customer-address.entity.js';
import { toAddressView, toDeliveryAddress, type AddressView } from './address-view.js';

/** At most this many saved addresses per customer. */
export const MAX_ADDRESSES = 20;

export interface AddressInput {
  label: string;
  line1: string;
  line2?: string;
  city: string;
  pincode: string;
  lat: number;
  lng: number;
  instructions?: string;
  isDefault?: boolean;
}

/**
 * A customer's address book. Every change runs in a transaction holding the customer's
 * address-book lock (an advisory lock), so concurrent creates cannot pass the limit and
 * concurrent "make default" requests apply one after the other (the partial unique index
 * `customer_addresses_one_default` holds the rule in the schema too). Someone else's address is
 * a 404.
 */
@Injectable()
export class AddressBook {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stores: StoresService,
  ) {}

  async list(userId: string): Promise<AddressView[]> {
    const rows = await this.db.getRepository(CustomerAddress).find({
      where: { userId },
      order: { isDefault: 'DESC', createdAt: 'ASC', id: 'ASC' },
    });
    return Promise.all(rows.map(async (a) => toAddressView(a, await this.servedBy(a))));
  }

  async get(userId: string, id: string): Promise<AddressView> {
    const a = await this.find(this.db.manager, userId, id);
    return toAddressView(a, await this.servedBy(a));
  }

  /** The snapshot to deliver to (cart, order): a copy, so later edits change nothing placed. */
  async deliveryAddress(userId: string, id: string): Promise<DeliveryAddress> {
    return toDeliveryAddress(await this.find(this.db.manager, userId, id));
  }

  /** The first address is the default; `isDefault` makes a later one the default. */
  async create(userId: string, input: AddressInput): Promise<AddressView> {
    const id = await this.locked(userId, async (m) => {
      const [{ n }] = await m.query(
        `SELECT count(*)::int AS n FROM customer_addresses WHERE user_id = $1`,
        [userId],
      );
      if (n >= MAX_ADDRESSES)
        throw new DomainError(
          'ADDRESS_BOOK_FULL',
          `An address book holds at most ${MAX_ADDRESSES} addresses`,
          { max: MAX_ADDRESSES },
        );
      const isDefault = n === 0 || input.isDefault === true;
      if (isDefault) await this.clearDefault(m, userId);
      const [row] = await m.query(
        `INSERT INTO customer_addresses
           (user_id, label, line1, line2, city, pincode, lat, lng, instructions, is_default)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          userId,
          input.label,
          input.line1,
          input.line2 ?? null,
          input.city,
          input.pincode,
          input.lat,
          input.lng,
          input.instructions ?? null,
          isDefault,
        ],
      );
      return row.id as string;
    });
    return this.get(userId, id);
  }

  /** Changes the given fields; `isDefault: true` makes it the default (false is ignored: pick another). */
  async update(userId: string, id: string, change: Partial<AddressInput>): Promise<AddressView> {
    await this.locked(userId, async (m) => {
      const a = await this.find(m, userId, id);
      if (change.isDefault === true && !a.isDefault) await this.clearDefault(m, userId);
      const fields: Record<string, unknown> = {};
      for (const key of [
        'label',
        'line1',
        'line2',
        'city',
        'pincode',
        'lat',
        'lng',
        'instructions',
      ] as const)
        if (change[key] !== undefined) fields[key] = change[key];
      if (change.isDefault === true) fields.isDefault = true;
      if (Object.keys(fields).length > 0)
        await m.update(CustomerAddress, { id, userId }, { ...fields, updatedAt: new Date() });
    });
    return this.get(userId, id);
  }

  /** Deleting the default makes the oldest remaining address the default. */
  async remove(userId: string, id: string): Promise<void> {
    await this.locked(userId, async (m) => {
      const a = await this.find(m, userId, id);
      await m.query(`DELETE FROM customer_addresses WHERE id = $1 AND user_id = $2`, [id, userId]);
      if (a.isDefault)
        await m.query(
          `UPDATE customer_addresses SET is_default = true, updated_at = now()
            WHERE id = (SELECT id FROM customer_addresses WHERE user_id = $1
                         ORDER BY created_at, id LIMIT 1)`,
          [userId],
        );
    });
  }

  /** Every saved address of the customer, as stored (the data export). */
  all(m: EntityManager, userId: string): Promise<CustomerAddress[]> {
    return m.find(CustomerAddress, { where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Deletes every saved address of the customer in the caller's transaction (erasure). */
  async removeAll(m: EntityManager, userId: string): Promise<void> {
    await m.query(`DELETE FROM customer_addresses WHERE user_id = $1`, [userId]);
  }

  private async servedBy(a: CustomerAddress): Promise<ServiceableStore | null> {
    return (await this.stores.serviceable({ lat: a.lat, lng: a.lng }))[0] ?? null;
  }

  private async find(m: EntityManager, userId: string, id: string): Promise<CustomerAddress> {
    const a = await m.findOneBy(CustomerAddress, { id, userId });
    if (!a) throw new NotFoundError('Address');
    return a;
  }

  private async clearDefault(m: EntityManager, userId: string): Promise<void> {
    await m.query(
      `UPDATE customer_addresses SET is_default = false, updated_at = now()
        WHERE user_id = $1 AND is_default`,
      [userId],
    );
  }

  /** Runs `work` holding the customer's address-book lock (until the transaction ends). */
  private locked<T>(userId: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (m) => {
      await m.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('address-book:' || $1::text, 0))`,
        [userId],
      );
      return work(m);
    });
  }
}
