import { defineErrors, type Codes } from '#libs/platform';

/** The error codes of ratings. */
export const RATINGS_ERRORS = defineErrors('ratings', {
  /** The order has its rating already: one per order, never changed. */
  ALREADY_RATED: 409,
  /** Only a delivered order can be rated (`currentStatus` in the body). */
  ORDER_NOT_DELIVERED: 409,
});

declare module '#libs/platform' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Codes<typeof RATINGS_ERRORS> {}
}
