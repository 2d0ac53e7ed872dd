export const ORDER_STATUSES = [
  'AWAITING_PAYMENT',
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
 * What counts against a customer's open-order cap: the open statuses and an online order waiting
 * for its payment (it holds stock). Not an OPEN_STATUS otherwise: no SLA, not in the store's work.
 */
export const CUSTOMER_OPEN_STATUSES: readonly OrderStatus[] = [
  'AWAITING_PAYMENT',
  ...OPEN_STATUSES,
];

export const PAYMENT_METHODS = ['cod', 'online'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * The one transition table: for each edge, who may take it. Riders may only act on orders
 * assigned to them (checked by the service, which knows the order).
 */
const TRANSITIONS: Partial<Record<OrderStatus, Partial<Record<OrderStatus, readonly Actor[]>>>> = {
  // Paid: only the payment's capture (the system) moves it on; unpaid in time: the system cancels.
  AWAITING_PAYMENT: { PLACED: ['system'], CANCELLED: ['customer', 'admin', 'system'] },
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
