import { defineErrors, type Codes } from '#libs/platform';

/** The error codes of carts and checkout. */
export const CART_ERRORS = defineErrors('cart', {
  /** Something priced in the cart moved since the customer saw it: the body has the new cart. */
  CART_CHANGED: 409,
  /** The cart cannot be checked out as it is (its `checkout.problems` say why). */
  CART_NOT_READY: 409,
});

declare module '#libs/platform' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Codes<typeof CART_ERRORS> {}
}
