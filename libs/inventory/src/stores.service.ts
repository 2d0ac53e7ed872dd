import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { conflictOnUnique } from '#libs/database';
import { DomainError, NotFoundError } from '#libs/platform';
import { CATALOG_CACHE } from '#libs/products';
import { ReadCache } from '#libs/redis';
import { haversineMeters, isOpenAt, isValidTimezone, type Point } from './geo.js';
import { Store } from './store.entity.js';

export interface StoreInput {
  name: string;
  code: string;
  latitude: number;
  longitude: number;
  serviceRadiusM: number;
  opensAt?: string;
  closesAt?: string;
  timezone?: string;
  active?: boolean;
  closedNow?: boolean;
  maxOpenOrders?: number;
}

export type ServiceableStore = Store & { distanceM: number };

/** Active stores, open by their hours and not closed by hand, whose radius covers the point, nearest first. */
export function serviceableStores(stores: Store[], point: Point, at: Date): ServiceableStore[] {
  return stores
    .filter((s) => s.active && !s.closedNow && isOpenAt(s, at))
    .map((s) => ({
      ...s,
      distanceM: Math.round(haversineMeters(point, { lat: s.latitude, lng: s.longitude })),
    }))
    .filter((s) => s.distanceM <= s.serviceRadiusM)
    .sort((a, b) => a.distanceM - b.distanceM || a.code.localeCompare(b.code));
}

@Injectable()
export class StoresService {
  constructor(
    @InjectRepository(Store) private readonly stores: Repository<Store>,
    private readonly cache: ReadCache,
  ) {}

  list(): Promise<Store[]> {
    return this.stores.find({ order: { code: 'ASC' } });
  }

  async get(id: string): Promise<Store> {
    const store = await this.stores.findOneBy({ id });
    if (!store) throw new NotFoundError('Store');
    return store;
  }

  /** Stores are few; the active ones are cached and filtered in memory. */
  async serviceable(point: Point, at = new Date()): Promise<ServiceableStore[]> {
    const active = await this.cache.getOrLoad(CATALOG_CACHE, 'stores:active', 60_000, () =>
      this.stores.findBy({ active: true }),
    );
    return serviceableStores(active, point, at);
  }

  async create(input: StoreInput): Promise<Store> {
    this.assertTimezone(input.timezone);
    const store = await conflictOnUnique(
      () =>
        this.stores.save(
          this.stores.create({
            ...input,
            code: input.code.trim().toUpperCase(),
            opensAt: input.opensAt ?? '00:00',
            closesAt: input.closesAt ?? '00:00',
            timezone: input.timezone ?? 'Asia/Kolkata',
            active: input.active ?? true,
            closedNow: input.closedNow ?? false,
          }),
        ),
      'stores_code_key',
      'A store with this code already exists',
    );
    await this.cache.invalidate(CATALOG_CACHE);
    return this.get(store.id);
  }

  async update(id: string, change: Partial<StoreInput>): Promise<Store> {
    await this.get(id);
    this.assertTimezone(change.timezone);
    const code = change.code?.trim().toUpperCase();
    await conflictOnUnique(
      () => this.stores.update(id, { ...change, ...(code ? { code } : {}) }),
      'stores_code_key',
      'A store with this code already exists',
    );
    await this.cache.invalidate(CATALOG_CACHE);
    return this.get(id);
  }

  private assertTimezone(timezone: string | undefined): void {
    if (timezone !== undefined && !isValidTimezone(timezone)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'timezone must be an IANA timezone such as Asia/Kolkata',
      );
    }
  }
}
