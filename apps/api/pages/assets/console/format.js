// Small display helpers shared by the console's pages (money, times, statuses).
import { ORDER_LABELS } from '/pages/order-labels.js';
export { formatMoney, clock, timeOfDay, shortId } from '/pages/session.js';

/** A status in words ("Out for delivery"), from the one table of labels. */
export const statusLabel = (status) => ORDER_LABELS.statusNames[status] ?? status;

export const dateTime = (iso) =>
  new Date(iso).toLocaleString([], {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
