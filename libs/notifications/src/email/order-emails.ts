import type { OrderView } from '#libs/orders';
import type { NotificationText } from '../order-notification-text.js';
import { orderEmail, type EmailContent } from './email-templates.js';

const rupees = (minor: number) =>
  new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(minor / 100);

/** An order event's email for its customer, in the words of its in-app notification. */
export function orderEventEmail(input: {
  order: OrderView;
  text: NotificationText;
  customerName: string;
  storeName: string;
  publicBaseUrl: string;
}): EmailContent {
  const { order, text } = input;
  return orderEmail({
    name: input.customerName,
    title: text.title,
    body: text.body.replace(/\.$/, ''),
    shortId: `#${order.id.slice(0, 8)}`,
    storeName: input.storeName,
    total: rupees(order.total.amount),
    itemCount: order.items.reduce((n, item) => n + item.quantity, 0),
    trackUrl: `${input.publicBaseUrl}/track/${order.id}`,
  });
}
