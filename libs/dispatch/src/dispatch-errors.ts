import { defineErrors, type Codes } from '#libs/platform';

/** The error codes of riders' shifts and offers. */
export const DISPATCH_ERRORS = defineErrors('dispatch', {
  OFFER_NOT_OPEN: 409,
  OFFER_EXPIRED: 409,
  RIDER_AT_CAPACITY: 409,
  RIDER_BUSY: 409,
  NO_STORE_ASSIGNED: 409,
  /** Sent out by hand with a rider who is not on shift. */
  RIDER_OFF_SHIFT: 409,
  /** Sent out by hand with a rider of another store. */
  RIDER_OF_ANOTHER_STORE: 409,
});

declare module '#libs/platform' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Codes<typeof DISPATCH_ERRORS> {}
}
