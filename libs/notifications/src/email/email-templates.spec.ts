import { ORDER_REASONS, ORDER_STATUSES, type OrderEventView } from '#libs/orders';
import { refundText, statusChangeText } from '../order-notification-text.js';
import { kindOfEvent } from '../preferences/notification-kinds.js';
import { mailDomain } from './email-deliveries.service.js';
import {
  escapeHtml,
  orderEmail,
  passwordResetEmail,
  verificationEmail,
} from './email-templates.js';

const ORDER = '3f2c9a1e-5b7d-4c2a-9e8f-0a1b2c3d4e5f';
const HOSTILE = `<script>alert("x")</script> & 'quotes'`;
const event = (change: Partial<OrderEventView>): OrderEventView => ({
  orderId: ORDER,
  seq: 3,
  type: 'order.placed',
  fromStatus: null,
  toStatus: 'PLACED',
  actor: { id: null, role: 'system' },
  reason: null,
  data: {},
  at: '2026-12-07T14:00:00.000Z',
  ...change,
});

describe('email templates', () => {
  it('escapes every interpolated value in the HTML, and keeps the text as typed', () => {
    const mails = [
      orderEmail({
        name: HOSTILE,
        title: HOSTILE,
        body: HOSTILE,
        shortId: '#3f2c9a1e',
        storeName: HOSTILE,
        total: '₹1.00',
        itemCount: 1,
        trackUrl: `https://x.test/track/"><img src=x>`,
      }),
      passwordResetEmail({
        name: HOSTILE,
        url: 'https://x.test/reset?token=a&b=<c>',
        validMinutes: 60,
      }),
      verificationEmail({
        name: HOSTILE,
        url: 'https://x.test/verify-email?token="',
        validHours: 72,
      }),
    ];
    for (const mail of mails) {
      expect(mail.html).not.toMatch(/<script|<img|"><|'quotes'/);
      expect(mail.html).toContain(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;',
      );
      expect(mail.text).toContain(HOSTILE);
    }
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('words every emailed order event without a code, for every reason', () => {
    const raw = /[a-z]_[a-z]|order\.[a-z]|payment\.[a-z]|\d{4}-\d\d-\d\dT/;
    for (const toStatus of ORDER_STATUSES)
      for (const reason of [null, ...ORDER_REASONS]) {
        const type = `order.${toStatus.toLowerCase()}`;
        const text = statusChangeText(ORDER, { ...event({ type, reason }), toStatus }, 'customer');
        const mail = orderEmail({
          name: 'Asha',
          ...text,
          shortId: '#3f2c9a1e',
          storeName: 'Indiranagar',
          total: '₹56.00',
          itemCount: 2,
          trackUrl: 'https://x.test/track/1',
        });
        expect([type, reason, raw.test(`${mail.subject} ${mail.text}`)]).toEqual([
          type,
          reason,
          false,
        ]);
      }
    const refund = refundText(
      event({ type: 'payment.refunded', toStatus: null, data: { amountMinor: 5600 } }),
    );
    expect(refund).toEqual({
      title: 'Refund issued',
      body: '₹56.00 is on its way back to you; banks take a few days to show it',
    });
    expect(refundText(event({ type: 'payment.refunded', toStatus: null })).body).not.toMatch(
      /NaN|undefined/,
    );
  });

  it('maps the emailed event types to their kinds, and nothing else', () => {
    expect(kindOfEvent('order.delivered')).toBe('order_delivered');
    expect(kindOfEvent('payment.refunded')).toBe('refund_issued');
    expect(kindOfEvent('order.packed')).toBeUndefined();
    expect(kindOfEvent('constructor')).toBeUndefined();
  });

  it('takes the Message-ID domain from MAIL_FROM', () => {
    expect(mailDomain('FlashCart <no-reply@mail.flashcart.example>')).toBe(
      'mail.flashcart.example',
    );
    expect(mailDomain('ops@flashcart.example')).toBe('flashcart.example');
    expect(mailDomain('nobody')).toBe('flashcart.local');
  });
});
