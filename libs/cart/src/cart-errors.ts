import { registerErrorCodes } from '#libs/platform';

declare module '#libs/platform' {
  interface ErrorCodes {
    CART_CHANGED: 409;
    CART_NOT_READY: 409;
    PROMOTION_UNKNOWN: 422;
  }
}

/** The error codes of carts and checkout. */
export const CART_ERROR_CODES = registerErrorCodes({
  /** Something priced in the cart moved since the customer saw it: the body has the new cart. */
  CART_CHANGED: 409,
  /** The cart cannot be checked out as it is (its `checkout.problems` say why). */
  CART_NOT_READY: 409,
  PROMOTION_UNKNOWN: 422,
});
