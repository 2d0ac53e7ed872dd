import { describeEvent, ORDER_LABELS, type OrderEventView, type OrderStatus } from '#libs/orders';

/** A notification's words: never a code, an id in full or an ISO time (order-labels.ts). */
export interface NotificationText {
  title: string;
  body: string;
}

/** The store's side of the words: its name and the time zone its customers and riders live in. */
export interface StoreContext {
  name: string;
  timezone: string;
}

const shortId = (id: string) => `#${id.slice(0, 8)}`;

/** "7:42 pm" in the store's time zone (plain spaces: some channels mangle U+202F). */
export function timeAt(at: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IN', { timeZone, hour: 'numeric', minute: '2-digit' })
    .format(new Date(at))
    .replace(/\s/g, ' ');
}

function rupees(minor: unknown): string {
  const amount = Number(minor);
  return Number.isFinite(amount)
    ? new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(amount / 100)
    : '';
}

/**
 * An order moved: the customer reads the event's title and why (or where the order is now); a
 * rider assigned to it, which order and where it is now.
 */
export function statusChangeText(
  orderId: string,
  event: OrderEventView & { toStatus: OrderStatus },
  recipient: 'customer' | 'rider',
): NotificationText {
  const { title, detail } = describeEvent(event);
  const status = ORDER_LABELS.statuses[event.toStatus];
  if (recipient === 'rider') return { title, body: `Order ${shortId(orderId)}: ${status}` };
  return { title, body: detail ?? status };
}

/** A line packed short: what was missing and what comes back. */
export function shortPickText(event: OrderEventView): NotificationText {
  const data = event.data;
  const refund = rupees(data.refundMinor);
  const { title, detail } = describeEvent(event);
  const line = `${String(data.name)}: ${String(data.found)} of ${String(data.ordered)} found`;
  return {
    title,
    body: [line, refund ? `${refund} will be refunded` : '', detail ?? '']
      .filter(Boolean)
      .join('. '),
  };
}

/** A delivery offered to a rider: answer by when, in the store's time. */
export function riderOfferText(
  orderId: string,
  expiresAt: string,
  store: StoreContext,
): NotificationText {
  return {
    title: 'New delivery offer',
    body: `Order ${shortId(orderId)} from ${store.name}: accept by ${timeAt(expiresAt, store.timezone)}`,
  };
}

/** An order past its promise, for the admins. */
export function promiseMissedText(
  orderId: string,
  promisedBy: string,
  store: StoreContext,
): NotificationText {
  return {
    title: 'Delivery promise missed',
    body: `Order ${shortId(orderId)} at ${store.name} was promised by ${timeAt(promisedBy, store.timezone)}`,
  };
}

/**
 * A refund issued (`payment.refunded`, written by payments): how much, when the event says
 * (`amountMinor`, or `refundMinor`), and the timeline's words when order-labels knows the type.
 */
export function refundText(event: OrderEventView): NotificationText {
  const { title } = describeEvent(event);
  const amount = rupees(event.data.amountMinor ?? event.data.refundMinor);
  return {
    title: title === ORDER_LABELS.unknownEvent ? 'Refund issued' : title,
    body: amount
      ? `${amount} is on its way back to you; banks take a few days to show it`
      : 'Your refund is on its way back to you; banks take a few days to show it',
  };
}
