import { registerErrorCodes } from '#libs/platform';

declare module '#libs/platform' {
  interface ErrorCodes {
    INSUFFICIENT_STOCK: 409;
    INVALID_TRANSITION: 409;
    TOO_MANY_OPEN_ORDERS: 409;
    IDEMPOTENCY_KEY_IN_USE: 409;
    STORE_BUSY: 409;
    NOT_SERVICEABLE: 422;
    PRODUCT_UNAVAILABLE: 422;
    IDEMPOTENCY_KEY_REUSED: 422;
  }
}

/** The error codes of placing and moving orders. */
export const ORDER_ERROR_CODES = registerErrorCodes({
  INSUFFICIENT_STOCK: 409,
  INVALID_TRANSITION: 409,
  TOO_MANY_OPEN_ORDERS: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  STORE_BUSY: 409,
  NOT_SERVICEABLE: 422,
  PRODUCT_UNAVAILABLE: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
});
