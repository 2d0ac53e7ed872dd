export const ORDER_STATUSES = [
  'PLACED',
  'PACKED',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Who takes a transition: the roles, plus the worker acting as `system`. */
export type Actor = 'customer' | 'rider' | 'admin' | 'system';

export const FINAL_STATUSES: readonly OrderStatus[] = ['DELIVERED', 'CANCELLED'];
export const OPEN_STATUSES: readonly OrderStatus[] = ['PLACED', 'PACKED', 'OUT_FOR_DELIVERY'];

/**
 * The one transition table: for each edge, who may take it. Riders may only act on orders
 * assigned to them (checked by the service, which knows the order).
 */
const TRANSITIONS: Partial<Record<OrderStatus, Partial<Record<OrderStatus, readonly Actor[]>>>> = {
  PLACED: { PACKED: ['admin', 'system'], CANCELLED: ['customer', 'admin', 'system'] },
  PACKED: { OUT_FOR_DELIVERY: ['admin', 'system'], CANCELLED: ['customer', 'admin', 'system'] },
  OUT_FOR_DELIVERY: { DELIVERED: ['rider', 'system'], CANCELLED: ['admin', 'system'] },
};

export type TransitionCheck =
  | { ok: true }
  | { ok: false; reason: 'INVALID_TRANSITION' } // no such edge from the current status
  | { ok: false; reason: 'FORBIDDEN' }; // the edge exists, but not for this actor

export function checkTransition(from: OrderStatus, to: OrderStatus, actor: Actor): TransitionCheck {
  const allowed = TRANSITIONS[from]?.[to];
  if (!allowed) return { ok: false, reason: 'INVALID_TRANSITION' };
  return allowed.includes(actor) ? { ok: true } : { ok: false, reason: 'FORBIDDEN' };
}

/** Every edge as [from, to, actors], for documentation and tests. */
export function transitionTable(): [OrderStatus, OrderStatus, readonly Actor[]][] {
  return Object.entries(TRANSITIONS).flatMap(([from, edges]) =>
    Object.entries(edges ?? {}).map(
      ([to, actors]) =>
        [from as OrderStatus, to as OrderStatus, actors as readonly Actor[]] as [
          OrderStatus,
          OrderStatus,
          readonly Actor[],
        ],
    ),
  );
}
