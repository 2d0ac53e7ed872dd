import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { hasOrdered } from '../first-order.js';
import { PipelinedTransaction, refusalOf, type StatementDefinition } from '#libs/database';
import { StoresService, type ServiceableStore } from '#libs/inventory';
import type { PricedBasket } from '#libs/pricing';
import { DomainError } from '#libs/platform';
import {
  PROMOTION_REFUSAL,
  promotionNotApplicable,
  promotionUnavailable,
  Promotions,
  type PromotionsForPricing,
} from '#libs/promotions';
import { promisedBy } from '../capacity/delivery-promise.js';
import { StoreCapacity } from '../capacity/store-capacity.js';
import type { Order, OrderItem, DeliveryAddress } from '../order.entity.js';
import type { PaymentMethod } from '../order-state-machine.js';
import { newEvent } from '../order-timeline.js';
import { toOrderView, type OrderView } from '../order-view.js';
import { OutboxSignal } from '../outbox/outbox-signal.js';
import { feeRules, priceOrder, type CartLine } from '../pricing.js';
import { CustomerQueue } from './customer-queue.js';
import { IdempotencyKeys, keyInUse, requestHash, storedResponse } from './idempotency.js';
import { checkAvailability, checkedLines } from './placement-checks.js';
import { isStoreBusy } from '../capacity/store-capacity.js';
import {
  beginAndClaim,
  PLACEMENT_REFUSALS,
  writeAndCommitPlacement,
  type ProductForOrder,
  type WriteParams,
} from './placement-statements.js';

export interface PlaceOrder {
  items: CartLine[];
  address: DeliveryAddress;
  storeId?: string;
  note?: string;
  /** A promotion code (422 PROMOTION_UNKNOWN / PROMOTION_NOT_APPLICABLE when it does not apply). */
  promoCode?: string;
  /** cod (the default) or online: an online order waits for its payment (AWAITING_PAYMENT). */
  paymentMethod?: PaymentMethod;
}

/** How a caller other than the one-shot `POST /v1/orders` places an order (checkout). */
export interface PlacementOptions {
  /** What the Idempotency-Key's request hash is taken of (default: the input). */
  fingerprint?: unknown;
  /** The total the customer saw: any other total refuses with `changed()`, as does a lost claim. */
  expectTotal?: { totalMinor: number; changed: () => Promise<DomainError> };
  /** The write statement extended with the caller's CTEs (definePlacementWrite). */
  write?: StatementDefinition<WriteParams>;
}

/**
 * The refusals that can hide a response stored under the key, so that a replay answers instead:
 * those decided before the key is read (a retry after the store stopped serving the address) or
 * because another request held it. Every other refusal comes after the claim, which reads the key
 * once this customer's earlier placements have committed (`claimAndLockStatements`): nothing is
 * stored, and no replay query is made.
 */
const REPLAYABLE = new Set<string>(['NOT_SERVICEABLE', 'IDEMPOTENCY_KEY_IN_USE']);

/** One attempt at one store. */
interface Attempt {
  userId: string;
  idempotencyKey: string;
  hash: string;
  input: PlaceOrder;
  lines: CartLine[];
  store: ServiceableStore;
  offers: PromotionsForPricing;
  /** The promotion code asked for (normalised), if any. */
  code: string | null;
  options: PlacementOptions;
}

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
    private readonly promotions: Promotions,
  ) {}

  /** Places an order once per Idempotency-Key; a replay answers what the first request did. */
  async place(
    userId: string,
    idempotencyKey: string,
    input: PlaceOrder,
    options: PlacementOptions = {},
  ): Promise<{ status: number; body: OrderView }> {
    return this.queue.run(userId, () => this.placeOrReplay(userId, idempotencyKey, input, options));
  }

  /** The response stored under a key for this request, if any (a checkout asks before pricing). */
  async replay(
    userId: string,
    idempotencyKey: string,
    fingerprint: unknown,
  ): Promise<{ status: number; body: OrderView } | undefined> {
    const stored = await this.keys.replay(userId, idempotencyKey, requestHash(fingerprint));
    return stored && { status: stored.status, body: stored.body as OrderView };
  }

  private async placeOrReplay(
    userId: string,
    idempotencyKey: string,
    input: PlaceOrder,
    options: PlacementOptions,
  ): Promise<{ status: number; body: OrderView }> {
    const hash = requestHash(options.fingerprint ?? input);
    try {
      const { status, body, placedNow } = await this.placeOnce(
        userId,
        idempotencyKey,
        hash,
        input,
        options,
      );
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
    options: PlacementOptions,
  ): Promise<{ status: number; body: OrderView; placedNow: boolean }> {
    const lines = checkedLines(input.items);
    const code = input.promoCode ? await this.promotions.knownCode(input.promoCode) : null;
    const stores = await this.candidateStores(input);
    let busy: DomainError | undefined;
    for (const store of stores) {
      try {
        const offers = await this.promotions.forPricing(store.id, code, userId);
        const place = { userId, idempotencyKey, hash, input, lines, store, offers, code, options };
        return await this.placeAt(place);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        if (err.code !== 'STORE_BUSY' && !busy) throw err;
        // Another store may lack the stock the busy one had: the busy store is still the answer.
        busy ??= await this.capacity.busyError(store.id);
      }
    }
    throw busy!;
  }

  private async placeAt(
    a: Attempt,
  ): Promise<{ status: number; body: OrderView; placedNow: boolean }> {
    const { userId, idempotencyKey, hash, input, lines, store, options } = a;
    const ordered = a.offers.promotions.some((p) => p.firstOrderOnly)
      ? await hasOrdered(this.dataSource, userId)
      : false;
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
      const priced = this.price(a, products, ordered);
      if (options.expectTotal && priced.totalMinor !== options.expectTotal.totalMinor)
        throw await options.expectTotal.changed();
      const refused = priced.refused.find((r) => r.code === a.code);
      if (refused) throw promotionNotApplicable(refused.reason);
      const { order, items, event } = this.newOrder(userId, store, input, priced, products);
      const body = toOrderView(order, items, [event]);
      const promotions = priced.discounts.map((d) => ({
        promotionId: d.promotionId,
        amountMinor: d.amountMinor,
      }));
      const write = {
        order,
        items,
        event,
        promotions,
        maxOpenOrders: this.config.orders.maxOpenPerCustomer,
        idempotency: { key: idempotencyKey, requestHash: hash, responseBody: body },
      };
      const written = await writeAndCommitPlacement(tx, write, options.write).catch(
        async (err: unknown) => {
          if (isStoreBusy(err)) throw new DomainError('STORE_BUSY', 'The store is at capacity');
          // Stored meanwhile by a request that raced this one: the caller replays it.
          if (refusalOf(err) === PLACEMENT_REFUSALS.keyTaken) throw keyInUse();
          // A promotion's last use went to another order meanwhile.
          if (refusalOf(err) === PROMOTION_REFUSAL)
            throw options.expectTotal
              ? await options.expectTotal.changed()
              : promotionUnavailable();
          throw err;
        },
      );
      if (!written.placed && !written.customerOk) {
        throw new DomainError(
          'TOO_MANY_OPEN_ORDERS',
          `At most ${this.config.orders.maxOpenPerCustomer} open orders at a time`,
        );
      }
      return { status: 201, body, placedNow: true };
    });
  }

  /** The one pricing function on the products as locked, with the store's promotions. */
  private price(
    a: Attempt,
    products: Map<string, ProductForOrder>,
    ordered: boolean,
  ): PricedBasket {
    return priceOrder(
      a.lines.map((l) => {
        const p = products.get(l.productId)!;
        return {
          productId: l.productId,
          categoryId: p.categoryId,
          quantity: l.quantity,
          unitPriceMinor: p.priceMinor,
          taxRateBp: p.taxRateBp,
        };
      }),
      feeRules(this.config.orders),
      a.offers.promotions,
      {
        now: new Date(),
        storeId: a.store.id,
        hasOrdered: ordered,
        customerUses: a.offers.customerUses,
        totalUses: a.offers.totalUses,
      },
    );
  }

  /** The order as placed: its prices, items and first event (what was applied and why in it). */
  private newOrder(
    userId: string,
    store: ServiceableStore,
    input: PlaceOrder,
    priced: PricedBasket,
    products: Map<string, ProductForOrder>,
  ) {
    const now = new Date();
    const discounts = priced.discounts.map((d) => ({
      promotionId: d.promotionId,
      code: d.code,
      name: d.name,
      kind: d.kind,
      amountMinor: d.amountMinor,
    }));
    const paymentMethod = input.paymentMethod ?? 'cod';
    const online = paymentMethod === 'online';
    const order: Order = {
      id: randomUUID(),
      userId,
      storeId: store.id,
      riderId: null,
      status: online ? 'AWAITING_PAYMENT' : 'PLACED',
      paymentMethod,
      version: 1,
      address: input.address,
      note: input.note ?? null,
      currency: 'INR',
      subtotalMinor: priced.subtotalMinor,
      deliveryFeeMinor: priced.fees.deliveryMinor,
      smallBasketFeeMinor: priced.fees.smallBasketMinor,
      discountMinor: priced.discountMinor,
      discounts,
      taxes: priced.taxes,
      totalMinor: priced.totalMinor,
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
    const items: OrderItem[] = priced.lines.map((line) => {
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
        discountMinor: line.discountMinor,
        taxRateBp: line.taxRateBp,
      };
    });
    const event = newEvent(order, 1, {
      type: 'order.placed',
      from: null,
      to: order.status,
      actor: { id: userId, role: 'customer' },
      data: {
        total: priced.totalMinor,
        paymentMethod,
        promisedBy: order.promisedBy.toISOString(),
        // Auto-cancelled if not packed by then (an online order: if not paid by then, and its
        // pack deadline starts at the capture): fixed here, whoever schedules the job.
        ...(online
          ? {
              payBy: new Date(
                now.getTime() + this.config.payments.timeoutSeconds * 1000,
              ).toISOString(),
            }
          : {
              packBy: new Date(
                now.getTime() + this.config.jobs.packTimeoutSeconds * 1000,
              ).toISOString(),
            }),
        ...(discounts.length > 0
          ? {
              discounts: discounts.map(({ promotionId, code, name, amountMinor }) => ({
                promotionId,
                code,
                name,
                amount: amountMinor,
              })),
            }
          : {}),
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
