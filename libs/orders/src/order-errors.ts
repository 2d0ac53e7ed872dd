import { defineErrors, type Codes } from '#libs/platform';

/** The error codes of placing and moving orders (stock shortages are inventory's). */
export const ORDER_ERRORS = defineErrors('orders', {
  INVALID_TRANSITION: 409,
  TOO_MANY_OPEN_ORDERS: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  STORE_BUSY: 409,
  NOT_SERVICEABLE: 422,
  PRODUCT_UNAVAILABLE: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  /** One order may total at most MAX_ORDER_TOTAL_MINOR (pricing.ts). */
  ORDER_TOO_LARGE: 422,
});

declare module '#libs/platform' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Codes<typeof ORDER_ERRORS> {}
}
