import { releaseUses } from '#libs/promotions';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { StockService } from '#libs/inventory';
import { DomainError } from '#libs/platform';
import { visibleOrder, type ActingAs } from './order-access.js';
import { OPEN_STATUSES } from './order-state-machine.js';
import { appendEvent } from './order-timeline.js';
import { erasedOnArrivalSql } from './order-personal-data.js';
import { Order, OrderEvent, OrderItem } from './order.entity.js';
import { toOrderView, type OrderView } from './order-view.js';
import {
  invalidTransition,
  movedOrder,
  transitionRefusal,
  type MoveRequest,
} from './transition-rules.js';
import { OutboxSignal } from './outbox/outbox-signal.js';

export interface TransitionRequest extends MoveRequest {
  riderId?: string;
  /** Extra fields of the event's data (e.g. the accepted offer). */
  data?: Record<string, unknown>;
  /** The event's type when not `order.<status>` (a capture places an order: `payment.captured`). */
  eventType?: string;
}

/**
 * The state machine applied: each move a compare-and-set on the status in one transaction with
 * its event (and the stock release on cancel, so exactly once); and the SLA breach record.
 */
@Injectable()
export class OrderTransitions {
  private readonly logger = new Logger(OrderTransitions.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stock: StockService,
    private readonly outbox: OutboxSignal,
  ) {}

  /**
   * Moves an order along the state machine: a compare-and-set on the status, in one transaction
   * with its event (and the stock release on cancel). A lost race is a 409 naming the status.
   */
  async transition(
    orderId: string,
    actor: ActingAs,
    request: TransitionRequest,
  ): Promise<OrderView> {
    const view = await this.dataSource.transaction((m) =>
      this.transitionIn(m, orderId, actor, request),
    );
    this.outbox.committed();
    return view;
  }

  /**
   * The same move inside the caller's transaction (dispatch accepts an offer and sends the order
   * out in one transaction; a short pick cancels a fully short order). The caller signals the
   * outbox after its commit. Locks the order row first, as every transition does.
   */
  async transitionIn(
    m: EntityManager,
    orderId: string,
    actor: ActingAs,
    request: TransitionRequest,
  ): Promise<OrderView> {
    const order = await visibleOrder(m, orderId, actor, true);
    const refused = transitionRefusal(order.status, request, actor);
    if (refused) throw DomainError.of(refused);
    const riderId = await this.riderFor(m, request);
    const items = await m.findBy(OrderItem, { orderId: order.id });
    let returned: string[] = [];
    if (request.to === 'CANCELLED') {
      // Before the order's update, whose trigger locks the store's open-orders counter: placement
      // locks stock rows, then its promotions' rows, then that counter, and so must everyone (else
      // the two deadlock). Exactly once: the status was read under the order row's lock.
      await this.stock.release(m, order.storeId, items, order.id, actor.id);
      returned = await releaseUses(m, order.id);
    }
    const [updated] = await m.query(
      `UPDATE orders SET status = $3, version = version + 1, updated_at = now(),
              rider_id = COALESCE($4, rider_id), cancel_reason = COALESCE($5, cancel_reason),
              ${erasedOnArrivalSql('$3')}
        WHERE id = $1 AND status = $2
        RETURNING version, updated_at, address, note`,
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
      throw DomainError.of(invalidTransition(current.status, request.to));
    }
    const next = {
      ...movedOrder(order, request, {
        version: updated[0].version,
        updatedAt: updated[0].updated_at,
        riderId,
      }),
      // Without its personal fields if its customer was erased while it was in flight.
      address: updated[0].address,
      note: updated[0].note,
    };
    await appendEvent(m, next, {
      type: request.eventType ?? `order.${request.to.toLowerCase()}`,
      from: order.status,
      to: request.to,
      actor,
      reason: request.reason,
      data: {
        ...(riderId ? { riderId } : {}),
        ...(returned.length > 0 ? { promotionsReturned: returned } : {}),
        ...request.data,
      },
    });
    const timeline = await m.find(OrderEvent, {
      where: { orderId: order.id },
      order: { seq: 'ASC' },
    });
    this.logger.log({ event: 'order.transition', orderId, to: request.to, actor }, 'order moved');
    return toOrderView(next, items, timeline);
  }

  /**
   * Locks an order row inside the caller's transaction (the first lock of any change to an
   * order, so lock order stays order row first everywhere); null when there is no such order.
   */
  async lock(m: EntityManager, orderId: string): Promise<Order | null> {
    return m.findOne(Order, { where: { id: orderId }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Appends an event that changes no status (dispatch's `order.rider_offered`) to an order the
   * caller's transaction has locked (`lock`): on the timeline, and through the outbox on the
   * socket. The caller signals the outbox after its commit.
   */
  async note(
    m: EntityManager,
    order: Order,
    event: { type: string; actor: ActingAs; reason?: string; data?: Record<string, unknown> },
  ): Promise<void> {
    await appendEvent(m, order, { ...event, from: null, to: null });
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
      await appendEvent(m, order, {
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

  /** The rider to send an order out with, read in the transaction (no second connection held). */
  private async riderFor(m: EntityManager, request: TransitionRequest): Promise<string | null> {
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
}
