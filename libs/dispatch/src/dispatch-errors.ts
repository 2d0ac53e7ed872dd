import { registerErrorCodes } from '#libs/platform';

declare module '#libs/platform' {
  interface ErrorCodes {
    OFFER_NOT_OPEN: 409;
    OFFER_EXPIRED: 409;
    RIDER_AT_CAPACITY: 409;
    RIDER_BUSY: 409;
    NO_STORE_ASSIGNED: 409;
  }
}

/** The error codes of riders' shifts and offers. */
export const DISPATCH_ERROR_CODES = registerErrorCodes({
  OFFER_NOT_OPEN: 409,
  OFFER_EXPIRED: 409,
  RIDER_AT_CAPACITY: 409,
  RIDER_BUSY: 409,
  NO_STORE_ASSIGNED: 409,
});
