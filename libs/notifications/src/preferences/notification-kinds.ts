/**
 * The kinds of notification a customer can switch, per channel (in-app, email); security mails
 * (password reset, email verification) go out whatever the preferences say. Other in-app
 * notifications (packed, short pick, a rider's offers, admins' alerts) are not switchable.
 */
export const SWITCHABLE_KINDS = [
  'order_placed',
  'order_out_for_delivery',
  'order_delivered',
  'order_cancelled',
  'refund_issued',
] as const;
export type SwitchableKind = (typeof SWITCHABLE_KINDS)[number];

export const SECURITY_KINDS = ['password_reset', 'email_verification'] as const;
export type SecurityKind = (typeof SECURITY_KINDS)[number];

export type EmailKind = SwitchableKind | SecurityKind;

const BY_EVENT_TYPE: Record<string, SwitchableKind> = {
  'order.placed': 'order_placed',
  'order.out_for_delivery': 'order_out_for_delivery',
  'order.delivered': 'order_delivered',
  'order.cancelled': 'order_cancelled',
  'payment.refunded': 'refund_issued',
};

/** The kind of an order event for its customer, if it is one we mail (and one they can switch). */
export const kindOfEvent = (type: string): SwitchableKind | undefined =>
  Object.hasOwn(BY_EVENT_TYPE, type) ? BY_EVENT_TYPE[type] : undefined;
