import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { decodeCursor, NotFoundError, toPage, type Page } from '#libs/platform';
import { visibleOrder, type ActingAs } from './order-access.js';
import { OPEN_STATUSES, type OrderStatus } from './order-state-machine.js';
import { Order, OrderEvent, OrderItem } from './order.entity.js';
import { toEventView, toOrderView, type OrderEventView, type OrderView } from './order-view.js';

export interface OrderFilter {
  status?: OrderStatus;
  storeId?: string;
  from?: Date;
  to?: Date;
  /**
   * An ops search: orders whose id starts with `idPrefix` (a whole id, or a card's first 8 hex
   * digits) OR of these customers (found by phone or email). Neither given: nothing matches.
   */
  match?: { idPrefix?: string; userIds?: string[] };
  limit: number;
  cursor?: string;
}

/** Reading orders and their timelines, with the visibility rule (`order-access.ts`) applied. */
@Injectable()
export class OrderQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(orderId: string, actor: ActingAs): Promise<OrderView> {
    const m = this.dataSource.manager;
    const order = await visibleOrder(m, orderId, actor, false);
    const [items, timeline] = await Promise.all([
      m.findBy(OrderItem, { orderId }),
      m.find(OrderEvent, { where: { orderId }, order: { seq: 'ASC' } }),
    ]);
    return toOrderView(order, items, timeline);
  }

  async events(orderId: string, actor: ActingAs, afterSeq = 0): Promise<OrderEventView[]> {
    await visibleOrder(this.dataSource.manager, orderId, actor, false);
    return this.eventsAfter(orderId, afterSeq);
  }

  /** The order's status, or null when the actor may not see it (someone else's or no order). */
  async statusIfVisible(orderId: string, actor: ActingAs): Promise<OrderStatus | null> {
    try {
      return (await visibleOrder(this.dataSource.manager, orderId, actor, false)).status;
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
    if (filter.match) {
      const { idPrefix, userIds } = filter.match;
      const either: string[] = [];
      if (idPrefix && /^[0-9a-f-]{8,36}$/.test(idPrefix))
        either.push(idPrefix.length === 36 ? 'o.id = :matchId' : 'o.id::text LIKE :matchPrefix');
      if (userIds?.length) either.push('o.user_id = ANY(:matchUsers)');
      query.andWhere(either.length ? `(${either.join(' OR ')})` : 'false', {
        matchId: idPrefix,
        matchPrefix: `${idPrefix}%`,
        matchUsers: userIds,
      });
    }
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

  /** Online orders still awaiting their payment, placed before `olderThan` (the payment timeout's sweeper). */
  async staleAwaitingPayment(olderThan: Date, limit = 500): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM orders WHERE status = 'AWAITING_PAYMENT' AND placed_at < $1 ORDER BY placed_at LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Orders still PLACED whose pack deadline passed (for the auto-cancel sweeper). */
  async stalePlaced(olderThan: Date, limit = 500): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      // An online order's pack deadline runs from its capture (payment.captured), not its placement.
      `SELECT o.id FROM orders o
        WHERE o.status = 'PLACED' AND o.placed_at < $1
          AND (o.payment_method = 'cod' OR NOT EXISTS (
                SELECT 1 FROM order_events e
                 WHERE e.order_id = o.id AND e.type = 'payment.captured' AND e.created_at >= $1))
        ORDER BY o.placed_at LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map((r) => r.id);
  }
}
