import type { EntityManager } from 'typeorm';
import type { ActingAs } from './order-access.js';
import type { OrderStatus } from './order-state-machine.js';
import { OrderEvent, type Order } from './order.entity.js';

export interface EventInput {
  type: string;
  from: OrderStatus | null;
  to: OrderStatus | null;
  actor: ActingAs;
  reason?: string;
  data?: Record<string, unknown>;
}

/** An order event row: what happened, and the order's status, version and store after it. */
export function newEvent(order: Order, seq: number, event: EventInput): Omit<OrderEvent, 'id'> {
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

/**
 * Appends the next event of an order (the outbox row: consumers see it after commit). The caller
 * holds the order row lock, so `seq` cannot race.
 */
export async function appendEvent(
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
