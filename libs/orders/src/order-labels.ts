import type { StoreCancelReason } from './cancel-reasons.js';
import type { Actor, OrderStatus } from './order-state-machine.js';

/**
 * What a customer reads about an order, in one table: the tracking page (served to the browser
 * as /pages/order-labels.js, apps/api/src/pages/page-labels.ts) and the notifications
 * (libs/notifications) both read it, so no status, event type or reason code ever shows raw.
 * `order-labels.spec.ts` fails when the code writes an event type or reason missing here.
 */

/** Every type of row in order_events (the OpenAPI document lists the same in OrderEventDto). */
export const ORDER_EVENT_TYPES = [
  'order.placed',
  'order.packed',
  'order.rider_offered',
  'order.awaiting_rider',
  'order.short_picked',
  'order.out_for_delivery',
  'order.delivered',
  'order.cancelled',
  'order.sla_breached',
  'order.awaiting_payment',
  // Payments (libs/payments): no status change, except the capture of an order awaiting payment.
  'payment.pending',
  'payment.captured',
  'payment.failed',
  'payment.refund_requested',
  'payment.refunded',
  'payment.cod_collected',
] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/** The reason codes our own code writes on order events (customers and staff may also write text). */
export const ORDER_REASONS = [
  'cancelled_by_store',
  'auto_cancel_timeout',
  'out_of_stock',
  'offer_accepted',
  'demo_simulation',
  'payment_timeout',
  'paid_after_cancel',
  'order_cancelled',
  'short_pick',
  'customer_request',
  'address_unreachable',
  'store_closed',
  'duplicate_order',
] as const;
export type OrderReason = (typeof ORDER_REASONS)[number];

export interface OrderLabels {
  /** A status in a word or two (the tracking page's steps). */
  statusNames: Record<OrderStatus, string>;
  /** A status as a headline (the tracking page's title, a notification's body by default). */
  statuses: Record<OrderStatus, string>;
  /** What happened: one line of the timeline, and a notification's title. */
  events: Record<OrderEventType, string>;
  /** Why, as a sentence for the customer. */
  reasons: Record<OrderReason, string>;
  /** Who cancelled, when no reason code says more. */
  cancelledBy: Record<Actor, string>;
  /** An event type this table does not know (an older page meeting a newer server). */
  unknownEvent: string;
  /** The store's cancel reasons as staff choose them (the ops console; not customer text). */
  storeCancelReasons: Record<StoreCancelReason, string>;
  /** Event types as staff read them on the console's timeline, where they differ. */
  staffEvents: Partial<Record<OrderEventType, string>>;
}

export const ORDER_LABELS: OrderLabels = {
  statusNames: {
    AWAITING_PAYMENT: 'Awaiting payment',
    PLACED: 'Placed',
    PACKED: 'Packed',
    OUT_FOR_DELIVERY: 'On the way',
    DELIVERED: 'Delivered',
    CANCELLED: 'Cancelled',
  },
  statuses: {
    AWAITING_PAYMENT: 'Waiting for your payment',
    PLACED: 'Order received',
    PACKED: 'Packed, waiting for a rider',
    OUT_FOR_DELIVERY: 'On the way',
    DELIVERED: 'Delivered',
    CANCELLED: 'Cancelled',
  },
  events: {
    'order.placed': 'Order placed',
    'order.packed': 'Packed at the store',
    'order.rider_offered': 'Looking for a rider',
    'order.awaiting_rider': 'Still looking for a free rider',
    'order.short_picked': 'An item was not available',
    'order.out_for_delivery': 'Out for delivery',
    'order.delivered': 'Delivered',
    'order.cancelled': 'Order cancelled',
    'order.sla_breached': 'Running late: we are on it',
    'order.awaiting_payment': 'Waiting for your payment',
    'payment.pending': 'Payment started',
    'payment.captured': 'Payment received',
    'payment.failed': 'Payment did not go through',
    'payment.refund_requested': 'Refund on its way',
    'payment.refunded': 'Refund issued',
    'payment.cod_collected': 'Paid in cash',
  },
  reasons: {
    cancelled_by_store: 'Your order was cancelled by the store',
    auto_cancel_timeout: 'The store could not take your order in time',
    out_of_stock: 'None of your items were available',
    offer_accepted: 'A rider accepted your order',
    demo_simulation: 'Moved on by the demo simulation',
    payment_timeout: 'We did not receive your payment in time',
    paid_after_cancel: 'Your payment arrived after the order was cancelled: it is refunded in full',
    order_cancelled: 'Your payment is refunded in full because the order was cancelled',
    short_pick: 'The items we could not deliver are refunded',
    customer_request: 'Cancelled at your request',
    address_unreachable: 'We could not deliver to your address',
    store_closed: 'The store had to close',
    duplicate_order: 'This order was a duplicate of another',
  },
  cancelledBy: {
    customer: 'You cancelled the order',
    admin: 'Your order was cancelled by the store',
    rider: 'Your order was cancelled by the rider',
    system: 'Your order was cancelled',
  },
  unknownEvent: 'Order updated',
  storeCancelReasons: {
    out_of_stock: 'Items out of stock',
    customer_request: 'Customer asked to cancel',
    address_unreachable: 'Address unreachable',
    store_closed: 'Store closed',
    duplicate_order: 'Duplicate order',
    cancelled_by_store: 'Other',
  },
  staffEvents: {
    'order.rider_offered': 'Offered to a rider',
    'order.awaiting_rider': 'No rider free: waiting',
    'order.short_picked': 'Short pick',
    'order.sla_breached': 'Promise missed',
  },
};

/** A code of ours (`out_of_stock`), as opposed to words someone typed. */
export const REASON_CODE = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;

/** Own keys only: a reason someone typed ("constructor") must not find Object's prototype. */
const lookup = <T>(table: Record<string, T>, key: string | null | undefined): T | undefined =>
  key != null && Object.hasOwn(table, key) ? table[key] : undefined;

export interface EventToDescribe {
  type: string;
  reason: string | null;
  /** Absent on the socket's `order.event` (the page reads it from the REST timeline). */
  actor?: { role: string };
}

/**
 * One line for an order event: its title, and a detail from its reason (a code's sentence; for a
 * cancellation, who did it and the words they gave) or null. An unknown code says nothing rather
 * than show itself. The tracking page mirrors this in track.js (it gets the table and
 * REASON_CODE from /pages/order-labels.js); the pages' e2e test compares the two.
 */
export function describeEvent(
  event: EventToDescribe,
  labels: OrderLabels = ORDER_LABELS,
): { title: string; detail: string | null } {
  const title = lookup(labels.events, event.type) ?? labels.unknownEvent;
  const reason = event.reason?.trim() || null;
  const known = lookup(labels.reasons, reason);
  if (known) return { title, detail: known };
  if (event.type !== 'order.cancelled') return { title, detail: null };
  const by = lookup(labels.cancelledBy, event.actor?.role) ?? labels.cancelledBy.system;
  return { title, detail: reason && !REASON_CODE.test(reason) ? `${by}: “${reason}”` : by };
}
