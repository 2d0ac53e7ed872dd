import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { PipelinedTransaction, refusalOf } from '#libs/database';
import { StoresService, type ServiceableStore } from '#libs/inventory';
import { DomainError } from '#libs/platform';
import { promisedBy } from '../capacity/delivery-promise.js';
import { StoreCapacity } from '../capacity/store-capacity.js';
import type { Order, OrderItem, DeliveryAddress } from '../order.entity.js';
import { newEvent } from '../order-timeline.js';
import { toOrderView, type OrderView } from '../order-view.js';
import { OutboxSignal } from '../outbox/outbox-signal.js';
import { priceOrder, type CartLine } from '../pricing.js';
import { CustomerQueue } from './customer-queue.js';
import { IdempotencyKeys, keyInUse, requestHash, storedResponse } from './idempotency.js';
import { checkAvailability, checkedLines } from './placement-checks.js';
import { isStoreBusy } from '../capacity/store-capacity.js';
import {
  beginAndClaim,
  PLACEMENT_REFUSALS,
  writeAndCommitPlacement,
  type ProductForOrder,
} from './placement-statements.js';

export interface PlaceOrder {
  items: CartLine[];
  address: DeliveryAddress;
  storeId?: string;
  note?: string;
}

/**
 * The refusals that can hide a response stored under the key, so that a replay answers instead:
 * those decided before the key is read (a retry after the store stopped serving the address) or
 * because another request held it. Every other refusal comes after the claim, which reads the key
 * once this customer's earlier placements have committed (`claimAndLockStatements`): nothing is
 * stored, and no replay query is made.
 */
const REPLAYABLE = new Set<string>(['NOT_SERVICEABLE', 'IDEMPOTENCY_KEY_IN_USE']);

/**
 * Placement that never oversells, once per Idempotency-Key: validation, the store, server
 * prices, then one transaction in two flights (BEGIN with claiming the key and locking the stock;
 * writing everything with COMMIT). Idempotency end to end lives here and in `./idempotency.ts`.
 */
@Injectable()
export class OrderPlacement {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly stores: StoresService,
    private readonly keys: IdempotencyKeys,
    private readonly outbox: OutboxSignal,
    private readonly capacity: StoreCapacity,
    private readonly queue: CustomerQueue,
  ) {}

  /** Places an order once per Idempotency-Key; a replay answers what the first request did. */
  async place(
    userId: string,
    idempotencyKey: string,
    input: PlaceOrder,
  ): Promise<{ status: number; body: OrderView }> {
    return this.queue.run(userId, () => this.placeOrReplay(userId, idempotencyKey, input));
  }

  private async placeOrReplay(
    userId: string,
    idempotencyKey: string,
    input: PlaceOrder,
  ): Promise<{ status: number; body: OrderView }> {
    const hash = requestHash(input);
    try {
      const { status, body, placedNow } = await this.placeOnce(userId, idempotencyKey, hash, input);
      if (placedNow) this.outbox.committed();
      return { status, body };
    } catch (err) {
      if (!(err instanceof DomainError) || !REPLAYABLE.has(err.code)) throw err;
      const stored = await this.keys.replay(userId, idempotencyKey, hash);
      if (!stored) throw err;
      return { status: stored.status, body: stored.body as OrderView };
    }
  }

  /**
   * One attempt: validate, choose the store (cached), then one transaction in two flights:
   * BEGIN with claiming the key and locking the products' stock, writing everything with COMMIT. A store at capacity
   * refuses (409 STORE_BUSY); without a pinned `storeId` the next store serving the address is
   * tried, and the first refusal is the answer when none can take it.
   */
  private async placeOnce(
    userId: string,
    idempotencyKey: string,
    hash: string,
    input: PlaceOrder,
  ): Promise<{ status: number; body: OrderView; placedNow: boolean }> {
    const lines = checkedLines(input.items);
    const stores = await this.candidateStores(input);
    let busy: DomainError | undefined;
    for (const store of stores) {
      try {
        return await this.placeAt(userId, idempotencyKey, hash, input, lines, store);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        if (err.code !== 'STORE_BUSY' && !busy) throw err;
        // Another store may lack the stock the busy one had: the busy store is still the answer.
        busy ??= await this.capacity.busyError(store.id);
      }
    }
    throw busy!;
  }

  private placeAt(
    userId: string,
    idempotencyKey: string,
    hash: string,
    input: PlaceOrder,
    lines: CartLine[],
    store: ServiceableStore,
  ): Promise<{ status: number; body: OrderView; placedNow: boolean }> {
    return PipelinedTransaction.run(this.dataSource, async (tx) => {
      const { keyClaimed, stored, products } = await beginAndClaim(tx, {
        userId,
        key: idempotencyKey,
        storeId: store.id,
        productIds: lines.map((l) => l.productId),
      });
      if (!keyClaimed) throw keyInUse();
      const earlier = storedResponse(stored, hash);
      if (earlier) {
        return { status: earlier.status, body: earlier.body as OrderView, placedNow: false };
      }
      checkAvailability(lines, products);
      const { order, items, event } = this.newOrder(userId, store, input, lines, products);
      const body = toOrderView(order, items, [event]);
      const written = await writeAndCommitPlacement(tx, {
        order,
        items,
        event,
        maxOpenOrders: this.config.orders.maxOpenPerCustomer,
        idempotency: { key: idempotencyKey, requestHash: hash, responseBody: body },
      }).catch((err: unknown) => {
        if (isStoreBusy(err)) throw new DomainError('STORE_BUSY', 'The store is at capacity');
        // Stored meanwhile by a request that raced this one: the caller replays it.
        if (refusalOf(err) === PLACEMENT_REFUSALS.keyTaken) throw keyInUse();
        throw err;
      });
      if (!written.placed && !written.customerOk) {
        throw new DomainError(
          'TOO_MANY_OPEN_ORDERS',
          `At most ${this.config.orders.maxOpenPerCustomer} open orders at a time`,
        );
      }
      return { status: 201, body, placedNow: true };
    });
  }

  /** The order as placed: server prices, its items and its first event. */
  private newOrder(
    userId: string,
    store: ServiceableStore,
    input: PlaceOrder,
    lines: CartLine[],
    products: Map<string, ProductForOrder>,
  ) {
    const { lines: priced, totals } = priceOrder(
      lines,
      new Map([...products].map(([id, p]) => [id, p.priceMinor])),
      this.config.orders,
    );
    const now = new Date();
    const order: Order = {
      id: randomUUID(),
      userId,
      storeId: store.id,
      riderId: null,
      status: 'PLACED',
      version: 1,
      address: input.address,
      note: input.note ?? null,
      currency: 'INR',
      ...totals,
      refundDueMinor: 0,
      promisedBy: promisedBy(now, store.distanceM, {
        packingSeconds: this.config.dispatch.packingSeconds,
        riderSpeedKmh: this.config.dispatch.riderSpeedKmh,
        minimumMinutes: this.config.orders.promiseMinutes,
      }),
      cancelReason: null,
      placedAt: now,
      updatedAt: now,
    };
    const items: OrderItem[] = priced.map((line) => {
      const product = products.get(line.productId)!;
      return {
        orderId: order.id,
        productId: line.productId,
        sku: product.sku,
        name: product.name,
        unitLabel: product.unitLabel,
        unitPriceMinor: line.unitPriceMinor,
        quantity: line.quantity,
        lineTotalMinor: line.lineTotalMinor,
      };
    });
    const event = newEvent(order, 1, {
      type: 'order.placed',
      from: null,
      to: 'PLACED',
      actor: { id: userId, role: 'customer' },
      data: {
        total: totals.totalMinor,
        promisedBy: order.promisedBy.toISOString(),
        // Auto-cancelled if not packed by then: fixed at placement, whoever schedules the job.
        packBy: new Date(now.getTime() + this.config.jobs.packTimeoutSeconds * 1000).toISOString(),
      },
    });
    return { order, items, event };
  }

  /** The pinned store, or every store serving the address, nearest first. */
  private async candidateStores(input: PlaceOrder): Promise<ServiceableStore[]> {
    const point = { lat: input.address.lat, lng: input.address.lng };
    const serving = await this.stores.serviceable(point);
    const stores = input.storeId ? serving.filter((s) => s.id === input.storeId) : serving;
    if (stores.length === 0) {
      throw new DomainError(
        'NOT_SERVICEABLE',
        input.storeId
          ? 'That store does not deliver to this address right now'
          : 'No store delivers to this address right now',
      );
    }
    return stores;
  }
}
