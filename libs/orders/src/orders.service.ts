import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { StockService, StoresService } from '#libs/inventory';
import { decodeCursor, DomainError, NotFoundError, toPage, type Page } from '#libs/platform';
import { IdempotencyKeys, keyInUse, requestHash, storedResponse } from './idempotency-keys.js';
import { claimAndLock, writePlacement, type ProductForOrder } from './order-placement.js';
import {
  checkTransition,
  OPEN_STATUSES,
  type Actor,
  type OrderStatus,
} from './order-state-machine.js';
import { Order, OrderEvent, OrderItem, type DeliveryAddress } from './order.entity.js';
import { toEventView, toOrderView, type OrderEventView, type OrderView } from './order-view.js';
import { OutboxSignal } from './outbox/outbox-signal.js';
import { mergeLines, priceOrder, type CartLine } from './pricing.js';

export const MAX_DISTINCT_PRODUCTS = 50;

export interface PlaceOrder {
  items: CartLine[];
  address: DeliveryAddress;
  storeId?: string;
  note?: string;
}

/** Who is acting: a user with a role, or the worker (`system`, no id). */
export interface ActingAs {
  id: string | null;
  role: Actor;
}

export interface TransitionRequest {
  to: OrderStatus;
  /** Only move if the order is still in this status (jobs: "cancel if still PLACED"). */
  from?: OrderStatus;
  reason?: string;
  riderId?: string;
}

export interface OrderFilter {
  status?: OrderStatus;
  storeId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

/**
 * Orders: placement that never oversells, the state machine as compare-and-set updates, cancel
 * that returns stock exactly once, and the timeline. Every change commits with its order_events
 * row; the relay announces it after commit.
 */
@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly stores: StoresService,
    private readonly stock: StockService,
    private readonly keys: IdempotencyKeys,
    private readonly outbox: OutboxSignal,
  ) {}

  /** Places an order once per Idempotency-Key; a replay answers what the first request did. */
  async place(
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
      // A refused retry may have raced the attempt that succeeded, or come after the store
      // closed: the response stored under the key is the answer.
      if (!(err instanceof DomainError)) throw err;
      const stored = await this.keys.replay(userId, idempotencyKey, hash);
      if (!stored) throw err;
      return { status: stored.status, body: stored.body as OrderView };
    }
  }

  /**
   * One attempt: validate, choose the store (cached), then one transaction of three statements:
   * claim the key and lock the products' stock, write everything, commit.
   */
  private async placeOnce(
    userId: string,
    idempotencyKey: string,
    hash: string,
    input: PlaceOrder,
  ): Promise<{ status: number; body: OrderView; placedNow: boolean }> {
    const lines = this.checkedLines(input.items);
    const store = await this.chooseStore(input);
    return this.dataSource.transaction(async (m) => {
      const { keyClaimed, stored, products } = await claimAndLock(m, {
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
      this.checkAvailability(lines, products);
      const { order, items, event } = this.newOrder(userId, store.id, input, lines, products);
      const body = toOrderView(order, items, [event]);
      const written = await writePlacement(m, {
        order,
        items,
        event,
        maxOpenOrders: this.config.orders.maxOpenPerCustomer,
        idempotency: { key: idempotencyKey, requestHash: hash, responseBody: body },
      });
      if (!written.placed) {
        throw new DomainError(
          'TOO_MANY_OPEN_ORDERS',
          `At most ${this.config.orders.maxOpenPerCustomer} open orders at a time`,
        );
      }
      if (written.taken !== lines.length) throw new Error('stock moved under a row lock');
      if (!written.keyed) throw keyInUse(); // stored meanwhile: the caller replays it
      return { status: 201, body, placedNow: true };
    });
  }

  /** Merged cart lines, within the size limits. */
  private checkedLines(items: CartLine[]): CartLine[] {
    const lines = mergeLines(items);
    if (lines.length === 0) throw new DomainError('VALIDATION_FAILED', 'items must not be empty');
    if (lines.length > MAX_DISTINCT_PRODUCTS) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `items may hold at most ${MAX_DISTINCT_PRODUCTS} distinct products`,
      );
    }
    return lines;
  }

  /** Every product sold, each quantity within its per-order limit and in stock at the store. */
  private checkAvailability(lines: CartLine[], products: Map<string, ProductForOrder>): void {
    const unavailable = lines
      .filter((l) => !products.get(l.productId)?.active)
      .map((l) => l.productId);
    if (unavailable.length > 0) {
      throw new DomainError(
        'PRODUCT_UNAVAILABLE',
        'Some products do not exist or are no longer sold',
        {
          productIds: unavailable,
        },
      );
    }
    const tooMany = lines.filter((l) => l.quantity > products.get(l.productId)!.maxPerOrder);
    if (tooMany.length > 0) {
      throw new DomainError(
        'VALIDATION_FAILED',
        tooMany
          .map(
            (l) =>
              `quantity of ${l.productId} must not exceed ${products.get(l.productId)!.maxPerOrder}`,
          )
          .join('; '),
      );
    }
    const shortages = lines
      .map((l) => ({
        productId: l.productId,
        requested: l.quantity,
        available: products.get(l.productId)!.quantity ?? 0,
      }))
      .filter((l) => l.requested > l.available);
    if (shortages.length > 0) {
      throw new DomainError(
        'INSUFFICIENT_STOCK',
        'Some items are not available in the requested quantity',
        {
          items: shortages,
        },
      );
    }
  }

  /** The order as placed: server prices, its items and its first event. */
  private newOrder(
    userId: string,
    storeId: string,
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
      storeId,
      riderId: null,
      status: 'PLACED',
      version: 1,
      address: input.address,
      note: input.note ?? null,
      currency: 'INR',
      ...totals,
      promisedBy: new Date(now.getTime() + this.config.orders.promiseMinutes * 60_000),
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

  /**
   * Moves an order along the state machine: a compare-and-set on the status, in one transaction
   * with its event (and the stock release on cancel). A lost race is a 409 naming the status.
   */
  async transition(
    orderId: string,
    actor: ActingAs,
    request: TransitionRequest,
  ): Promise<OrderView> {
    const view = await this.dataSource.transaction(async (m) => {
      const order = await this.visibleOrder(m, orderId, actor);
      if (request.from && order.status !== request.from)
        throw this.conflict(order.status, request.to);
      const check = checkTransition(order.status, request.to, actor.role);
      if (!check.ok && check.reason === 'INVALID_TRANSITION')
        throw this.conflict(order.status, request.to);
      if (!check.ok) {
        throw new DomainError(
          'FORBIDDEN',
          `A ${actor.role} cannot move an order from ${order.status} to ${request.to}`,
        );
      }
      const riderId = await this.riderFor(m, order, request);
      const [updated] = await m.query(
        `UPDATE orders SET status = $3, version = version + 1, updated_at = now(),
                rider_id = COALESCE($4, rider_id), cancel_reason = COALESCE($5, cancel_reason)
          WHERE id = $1 AND status = $2
          RETURNING version, updated_at`,
        [
          order.id,
          order.status,
          request.to,
          riderId,
          request.to === 'CANCELLED' ? (request.reason ?? null) : null,
        ],
      );
      if (updated.length === 0) {
        const current = await m.findOneByOrFail(Order, { id: order.id });
        throw this.conflict(current.status, request.to);
      }
      const items = await m.findBy(OrderItem, { orderId: order.id });
      if (request.to === 'CANCELLED') {
        // The status CAS above is what makes this happen exactly once.
        await this.stock.release(m, order.storeId, items, order.id, actor.id);
      }
      const next: Order = {
        ...order,
        status: request.to,
        version: updated[0].version,
        updatedAt: updated[0].updated_at,
        riderId: riderId ?? order.riderId,
        cancelReason: request.to === 'CANCELLED' ? (request.reason ?? null) : order.cancelReason,
      };
      await this.appendEvent(m, next, {
        type: `order.${request.to.toLowerCase()}`,
        from: order.status,
        to: request.to,
        actor,
        reason: request.reason,
        data: riderId ? { riderId } : {},
      });
      const timeline = await m.find(OrderEvent, {
        where: { orderId: order.id },
        order: { seq: 'ASC' },
      });
      return toOrderView(next, items, timeline);
    });
    this.outbox.committed();
    this.logger.log({ event: 'order.transition', orderId, to: request.to, actor }, 'order moved');
    return view;
  }

  async get(orderId: string, actor: ActingAs): Promise<OrderView> {
    const m = this.dataSource.manager;
    const order = await this.visibleOrder(m, orderId, actor, false);
    const [items, timeline] = await Promise.all([
      m.findBy(OrderItem, { orderId }),
      m.find(OrderEvent, { where: { orderId }, order: { seq: 'ASC' } }),
    ]);
    return toOrderView(order, items, timeline);
  }

  async events(orderId: string, actor: ActingAs, afterSeq = 0): Promise<OrderEventView[]> {
    await this.visibleOrder(this.dataSource.manager, orderId, actor, false);
    return this.eventsAfter(orderId, afterSeq);
  }

  /** The order's status, or null when the actor may not see it (someone else's or no order). */
  async statusIfVisible(orderId: string, actor: ActingAs): Promise<OrderStatus | null> {
    try {
      return (await this.visibleOrder(this.dataSource.manager, orderId, actor, false)).status;
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }

  /**
   * The timelines of several orders, each after its own seq, in one query, in seq order per
   * order (tracking catches its subscribers up with this after a reconnect).
   */
  async eventsAfterEach(after: Map<string, number>): Promise<OrderEventView[]> {
    if (after.size === 0) return [];
    const rows: OrderEvent[] = await this.dataSource.query(
      `SELECT e.order_id AS "orderId", e.seq, e.type, e.from_status AS "fromStatus",
              e.to_status AS "toStatus", e.actor_id AS "actorId", e.actor_role AS "actorRole",
              e.reason, e.data, e.created_at AS "createdAt"
         FROM unnest($1::uuid[], $2::int[]) AS s(order_id, after_seq)
         JOIN order_events e ON e.order_id = s.order_id AND e.seq > s.after_seq
        ORDER BY e.order_id, e.seq`,
      [[...after.keys()], [...after.values()]],
    );
    return rows.map(toEventView);
  }

  /** The timeline after `afterSeq`, without a visibility check (callers have done it). */
  async eventsAfter(orderId: string, afterSeq: number): Promise<OrderEventView[]> {
    const rows = await this.dataSource
      .getRepository(OrderEvent)
      .createQueryBuilder('e')
      .where('e.order_id = :orderId AND e.seq > :afterSeq', { orderId, afterSeq })
      .orderBy('e.seq', 'ASC')
      .getMany();
    return rows.map(toEventView);
  }

  /** Orders a user may see: customers their own, riders those assigned to them, admins all. */
  async list(actor: ActingAs, filter: OrderFilter): Promise<Page<OrderView>> {
    const query = this.dataSource
      .getRepository(Order)
      .createQueryBuilder('o')
      .orderBy('o.placed_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .limit(filter.limit + 1);
    if (actor.role === 'customer') query.andWhere('o.user_id = :me', { me: actor.id });
    if (actor.role === 'rider') query.andWhere('o.rider_id = :me', { me: actor.id });
    if (filter.status) query.andWhere('o.status = :status', { status: filter.status });
    if (filter.storeId) query.andWhere('o.store_id = :storeId', { storeId: filter.storeId });
    if (filter.from) query.andWhere('o.placed_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('o.placed_at < :to', { to: filter.to });
    if (filter.cursor) {
      const [placedAt, id] = decodeCursor(filter.cursor, ['timestamp', 'uuid']);
      query.andWhere('(o.placed_at, o.id) < (:placedAt, :id)', { placedAt, id });
    }
    const page = toPage(await query.getMany(), filter.limit, (o) => [
      o.placedAt.toISOString(),
      o.id,
    ]);
    const items = page.items.length
      ? await this.dataSource
          .getRepository(OrderItem)
          .findBy({ orderId: In(page.items.map((o) => o.id)) })
      : [];
    return {
      items: page.items.map((o) =>
        toOrderView(
          o,
          items.filter((i) => i.orderId === o.id),
        ),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Records that an open order missed its promise: one `order.sla_breached` event, ever.
   * Returns whether this call recorded it (so the caller alerts once).
   */
  async markSlaBreached(orderId: string): Promise<boolean> {
    const recorded = await this.dataSource.transaction(async (m) => {
      const order = await m.findOne(Order, {
        where: { id: orderId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!order || !OPEN_STATUSES.includes(order.status) || order.promisedBy > new Date())
        return false;
      const [{ seen }] = await m.query(
        `SELECT EXISTS (SELECT 1 FROM order_events WHERE order_id = $1 AND type = 'order.sla_breached') AS seen`,
        [orderId],
      );
      if (seen) return false;
      await this.appendEvent(m, order, {
        type: 'order.sla_breached',
        from: null,
        to: null,
        actor: { id: null, role: 'system' },
        data: { promisedBy: order.promisedBy.toISOString() },
      });
      return true;
    });
    if (recorded) this.outbox.committed();
    return recorded;
  }

  /** Open orders past their promise that have no sla_breached event yet. */
  async overduePastPromise(limit = 500): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT o.id FROM orders o
        WHERE o.status = ANY($1) AND o.promised_by < now()
          AND NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.type = 'order.sla_breached')
        ORDER BY o.promised_by LIMIT $2`,
      [OPEN_STATUSES, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Orders still PLACED whose pack deadline passed (for the auto-cancel sweeper). */
  async stalePlaced(olderThan: Date, limit = 500): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM orders WHERE status = 'PLACED' AND placed_at < $1 ORDER BY placed_at LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map((r) => r.id);
  }

  private async chooseStore(input: PlaceOrder) {
    const point = { lat: input.address.lat, lng: input.address.lng };
    const serving = await this.stores.serviceable(point);
    const store = input.storeId ? serving.find((s) => s.id === input.storeId) : serving[0];
    if (!store) {
      throw new DomainError(
        'NOT_SERVICEABLE',
        input.storeId
          ? 'That store does not deliver to this address right now'
          : 'No store delivers to this address right now',
      );
    }
    return store;
  }

  /** Someone else's order is "not found", never "forbidden": its existence is not revealed. */
  private async visibleOrder(
    m: EntityManager,
    orderId: string,
    actor: ActingAs,
    lock = true,
  ): Promise<Order> {
    const order = await m.findOne(Order, {
      where: { id: orderId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    const visible =
      order &&
      (actor.role === 'admin' ||
        actor.role === 'system' ||
        (actor.role === 'customer' && order.userId === actor.id) ||
        (actor.role === 'rider' && order.riderId === actor.id));
    if (!visible) throw new NotFoundError('Order');
    return order;
  }

  private async riderFor(
    m: EntityManager,
    order: Order,
    request: TransitionRequest,
  ): Promise<string | null> {
    if (request.to !== 'OUT_FOR_DELIVERY') return null;
    if (!request.riderId)
      throw new DomainError('VALIDATION_FAILED', 'riderId is required to send an order out');
    const [rider] = await m.query(`SELECT role, disabled FROM users WHERE id = $1`, [
      request.riderId,
    ]);
    if (!rider || rider.role !== 'rider' || rider.disabled) {
      throw new DomainError('VALIDATION_FAILED', 'riderId must be an active rider');
    }
    return request.riderId;
  }

  private conflict(current: OrderStatus, to: OrderStatus): DomainError {
    return new DomainError('INVALID_TRANSITION', `Order is ${current}; it cannot move to ${to}`, {
      currentStatus: current,
    });
  }

  /** Appends the next event of an order; the caller holds the order row lock, so seq cannot race. */
  private async appendEvent(
    m: EntityManager,
    order: Order,
    event: EventInput,
  ): Promise<OrderEvent> {
    const [{ seq }] = await m.query(
      `SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM order_events WHERE order_id = $1`,
      [order.id],
    );
    return m.save(m.create(OrderEvent, newEvent(order, seq, event)));
  }
}

interface EventInput {
  type: string;
  from: OrderStatus | null;
  to: OrderStatus | null;
  actor: ActingAs;
  reason?: string;
  data?: Record<string, unknown>;
}

/** An order event row: what happened, and the order's status, version and store after it. */
function newEvent(order: Order, seq: number, event: EventInput): Omit<OrderEvent, 'id'> {
  return {
    orderId: order.id,
    seq,
    type: event.type,
    fromStatus: event.from,
    toStatus: event.to,
    actorId: event.actor.id,
    actorRole: event.actor.role,
    reason: event.reason ?? null,
    data: { status: order.status, version: order.version, storeId: order.storeId, ...event.data },
    createdAt: new Date(),
  };
}
