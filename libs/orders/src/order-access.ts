import type { EntityManager } from 'typeorm';
import { NotFoundError } from '#libs/platform';
import type { Actor } from './order-state-machine.js';
import { Order } from './order.entity.js';

/** Who is acting: a user with a role, or the worker (`system`, no id). */
export interface ActingAs {
  id: string | null;
  role: Actor;
}

/** Customers see their own orders, riders those assigned to them, admins and the system all. */
export function canSee(order: Order, actor: ActingAs): boolean {
  return (
    actor.role === 'admin' ||
    actor.role === 'system' ||
    (actor.role === 'customer' && order.userId === actor.id) ||
    (actor.role === 'rider' && order.riderId === actor.id)
  );
}

/**
 * The order if the actor may see it, locked for update when `lock` (transitions). Someone else's
 * order is "not found", never "forbidden": its existence is not revealed.
 */
export async function visibleOrder(
  m: EntityManager,
  orderId: string,
  actor: ActingAs,
  lock: boolean,
): Promise<Order> {
  const order = await m.findOne(Order, {
    where: { id: orderId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!order || !canSee(order, actor)) throw new NotFoundError('Order');
  return order;
}
