import { ORDER_REASONS, ORDER_STATUSES, type OrderEventView } from '#libs/orders';
import {
  promiseMissedText,
  riderOfferText,
  shortPickText,
  statusChangeText,
  timeAt,
} from './order-notification-text.js';

const ORDER = '3f2c9a1e-5b7d-4c2a-9e8f-0a1b2c3d4e5f';
const INDIRANAGAR = { name: 'Indiranagar', timezone: 'Asia/Kolkata' };

function event(change: Partial<OrderEventView>): OrderEventView {
  return {
    orderId: ORDER,
    seq: 2,
    type: 'order.packed',
    fromStatus: 'PLACED',
    toStatus: 'PACKED',
    actor: { id: null, role: 'system' },
    reason: null,
    data: {},
    at: '2026-12-07T14:00:00.000Z',
    ...change,
  };
}

/** What the issue found in bodies: "(demo_simulation)", "(offer_accepted)", an ISO time, an id. */
const raw = /[a-z]_[a-z]|order\.[a-z]|\d{4}-\d\d-\d\dT|[0-9a-f]{8}-[0-9a-f]{4}-/;

describe('order notification text', () => {
  it("gives times in the store's time zone", () => {
    expect(timeAt('2026-12-07T14:12:00Z', 'Asia/Kolkata')).toBe('7:42 pm');
    expect(timeAt('2026-12-07T14:12:00Z', 'Europe/London')).toBe('2:12 pm');
  });

  it('never shows a code in a status change, for every status, reason and recipient', () => {
    for (const toStatus of ORDER_STATUSES)
      for (const reason of [null, ...ORDER_REASONS, 'not_a_known_code'])
        for (const as of ['customer', 'rider'] as const) {
          const type = `order.${toStatus.toLowerCase()}`;
          const text = statusChangeText(ORDER, { ...event({ type, reason }), toStatus }, as);
          expect([toStatus, reason, as, raw.test(`${text.title} ${text.body}`)]).toEqual([
            toStatus,
            reason,
            as,
            false,
          ]);
        }
  });

  it('tells the customer why, in words', () => {
    const cancelled = (reason: string | null, role = 'admin') =>
      statusChangeText(
        ORDER,
        {
          ...event({ type: 'order.cancelled', reason, actor: { id: null, role } }),
          toStatus: 'CANCELLED',
        },
        'customer',
      );
    expect(cancelled('cancelled_by_store')).toEqual({
      title: 'Order cancelled',
      body: 'Your order was cancelled by the store',
    });
    expect(cancelled(null, 'customer').body).toBe('You cancelled the order');
    const out = statusChangeText(
      ORDER,
      {
        ...event({ type: 'order.out_for_delivery', reason: 'offer_accepted' }),
        toStatus: 'OUT_FOR_DELIVERY',
      },
      'customer',
    );
    expect(out).toEqual({ title: 'Out for delivery', body: 'A rider accepted your order' });
    const rider = statusChangeText(
      ORDER,
      { ...event({ type: 'order.packed', reason: 'demo_simulation' }), toStatus: 'PACKED' },
      'rider',
    );
    expect(rider.body).toBe('Order #3f2c9a1e: Packed, waiting for a rider');
  });

  it('words an offer, a short pick and a missed promise without codes or ISO times', () => {
    const offer = riderOfferText(ORDER, '2026-12-07T14:12:30.000Z', INDIRANAGAR);
    expect(offer).toEqual({
      title: 'New delivery offer',
      body: 'Order #3f2c9a1e from Indiranagar: accept by 7:42 pm',
    });
    const short = shortPickText(
      event({
        type: 'order.short_picked',
        toStatus: null,
        data: { name: 'Amul Milk 500 ml', found: 1, ordered: 3, refundMinor: 5600 },
      }),
    );
    expect(short).toEqual({
      title: 'An item was not available',
      body: 'Amul Milk 500 ml: 1 of 3 found. ₹56.00 will be refunded',
    });
    const late = promiseMissedText(ORDER, '2026-12-07T14:30:00.000Z', INDIRANAGAR);
    expect(late.body).toBe('Order #3f2c9a1e at Indiranagar was promised by 8:00 pm');
    for (const text of [offer, short, late])
      expect(raw.test(`${text.title} ${text.body}`)).toBe(false);
  });
});
