import { defineErrors, type Codes } from '#libs/platform';

/** The error codes of promotions. */
export const PROMOTION_ERRORS = defineErrors('promotions', {
  /** A use could not be claimed: the promotion expired, was paused or is used up meanwhile. */
  PROMOTION_UNAVAILABLE: 409,
  PROMOTION_CODE_TAKEN: 409,
  /** No promotion has this code. */
  PROMOTION_UNKNOWN: 422,
  /** The code exists but does not apply to this order (`reason` says why). */
  PROMOTION_NOT_APPLICABLE: 422,
});

declare module '#libs/platform' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Codes<typeof PROMOTION_ERRORS> {}
}
