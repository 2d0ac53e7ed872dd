import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { refusalOf } from '#libs/database';
import { DomainError } from '#libs/platform';

/** Statuses in which an order is still in its store (counted against the store's limit). */
export const IN_STORE_STATUSES = ['PLACED', 'PACKED'] as const;

/**
 * A store's capacity as clients see it: which stores are busy (serviceability) and when to retry
 * a refused placement. The limit itself is the database's: `store_open_orders` counts each
 * store's orders in PLACED + PACKED (a trigger on orders keeps it) and refuses an insert over the
 * store's `max_open_orders` (migration 1764150600000).
 */
@Injectable()
export class StoreCapacity {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Of these stores, those holding their limit of orders in PLACED + PACKED right now. */
  async busy(storeIds: string[]): Promise<Set<string>> {
    if (storeIds.length === 0) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT s.id FROM stores s JOIN store_open_orders c ON c.store_id = s.id
        WHERE s.id = ANY($1::uuid[]) AND c.open >= s.max_open_orders`,
      [storeIds],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * 409 STORE_BUSY with `retryAfter` (seconds): when the oldest order waiting in the store should
   * be out of it (placed + packing time), at least 10 s, at most the packing time.
   */
  async busyError(storeId: string): Promise<DomainError> {
    const packing = this.config.dispatch.packingSeconds;
    const [row] = await this.dataSource.query(
      `SELECT extract(epoch FROM now() - min(placed_at))::float8 AS age FROM orders
        WHERE store_id = $1 AND status = ANY($2::text[])`,
      [storeId, IN_STORE_STATUSES],
    );
    const age = Number(row?.age ?? 0);
    const retryAfter = Math.max(10, Math.min(Math.max(packing, 10), Math.ceil(packing - age)));
    return new DomainError('STORE_BUSY', 'The store is at capacity right now; try again shortly', {
      storeId,
      retryAfter,
    });
  }
}

/**
 * The store's open-orders limit, as the database enforces it: the trigger `store_open_orders_count`
 * on orders (migration 1764150600000; its refusal code since 1765000200000) refuses an insert over
 * `stores.max_open_orders` with SQLSTATE P0001, DETAIL `store_busy` (test/placement-rules.medium-spec.ts).
 */
export const STORE_LIMIT_RULE = {
  trigger: 'store_open_orders_count',
  refusal: 'store_busy',
} as const;

/** The insert of an order refused by its store's open-orders limit. */
export function isStoreBusy(err: unknown): boolean {
  return refusalOf(err) === STORE_LIMIT_RULE.refusal;
}
