import type { Refusal } from '#libs/platform';
import type { ActingAs } from './order-access.js';
import { checkTransition, type OrderStatus } from './order-state-machine.js';
import type { Order } from './order.entity.js';

/** A requested move (see OrderTransitions.transition). */
export interface MoveRequest {
  to: OrderStatus;
  /** Only move if the order is still in this status (jobs: "cancel if still PLACED"). */
  from?: OrderStatus;
  reason?: string;
}

/** 409 INVALID_TRANSITION naming the order's status now. */
export function invalidTransition(current: OrderStatus, to: OrderStatus): Refusal {
  return {
    code: 'INVALID_TRANSITION',
    message: `Order is ${current}; it cannot move to ${to}`,
    details: { currentStatus: current },
  };
}

/**
 * Why an order in `current` may not make the move (its service throws it), or null when it may: a `from` that no longer
 * holds and a missing edge are 409 (naming the status), an edge not open to the actor 403.
 */
export function transitionRefusal(
  current: OrderStatus,
  request: MoveRequest,
  actor: Pick<ActingAs, 'role'>,
): Refusal | null {
  if (request.from && current !== request.from) return invalidTransition(current, request.to);
  const check = checkTransition(current, request.to, actor.role);
  if (check.ok) return null;
  if (check.reason === 'INVALID_TRANSITION') return invalidTransition(current, request.to);
  return {
    code: 'FORBIDDEN',
    message: `A ${actor.role} cannot move an order from ${current} to ${request.to}`,
  };
}

/** The order after the move, as the compare-and-set wrote it. */
export function movedOrder(
  order: Order,
  request: MoveRequest,
  written: { version: number; updatedAt: Date; riderId: string | null },
): Order {
  const cancelled = request.to === 'CANCELLED';
  return {
    ...order,
    status: request.to,
    version: written.version,
    updatedAt: written.updatedAt,
    riderId: written.riderId ?? order.riderId,
    cancelReason: cancelled ? (request.reason ?? null) : order.cancelReason,
  };
}
