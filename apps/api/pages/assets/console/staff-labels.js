// Order events in words for store staff, from the one table (/pages/order-labels.js): staff
// titles where they differ from the customer's, who cancelled and why. Never a raw code.
import { ORDER_LABELS, REASON_CODE } from '/pages/order-labels.js';

const own = (table, key) => (key != null && Object.hasOwn(table, key) ? table[key] : undefined);

const CANCELLED_BY = {
  customer: 'By the customer',
  admin: 'By the store',
  rider: 'By the rider',
  system: 'Automatically',
};

/** A reason: a code's label (staff's list, else the customer's sentence), typed words quoted. */
function reasonText(reason) {
  const r = reason?.trim();
  if (!r) return null;
  const known = own(ORDER_LABELS.storeCancelReasons, r) ?? own(ORDER_LABELS.reasons, r);
  if (known) return known;
  return REASON_CODE.test(r) ? null : `“${r}”`;
}

/** `{ title, detail }` for one timeline event (REST shape: type, reason, actor, data). */
export function describeForStaff(event) {
  const title =
    own(ORDER_LABELS.staffEvents, event.type) ??
    own(ORDER_LABELS.events, event.type) ??
    ORDER_LABELS.unknownEvent;
  const why = reasonText(event.reason);
  if (event.type === 'order.cancelled') {
    const by = own(CANCELLED_BY, event.actor?.role) ?? CANCELLED_BY.system;
    return { title, detail: why ? `${by}: ${why}` : by };
  }
  if (event.type === 'order.short_picked' && event.data?.name) {
    const { name, ordered, found } = event.data;
    const count = Number.isInteger(found) ? `: ${found} of ${ordered} found` : '';
    return { title, detail: `${name}${count}${why ? ` (${why})` : ''}` };
  }
  return { title, detail: why };
}
