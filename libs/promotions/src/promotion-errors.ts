import { registerErrorCodes } from '#libs/platform';

declare module '#libs/platform' {
  interface ErrorCodes {
    PROMOTION_UNAVAILABLE: 409;
    PROMOTION_CODE_TAKEN: 409;
  }
}

/** The error codes of promotions. */
export const PROMOTION_ERROR_CODES = registerErrorCodes({
  PROMOTION_UNAVAILABLE: 409,
  PROMOTION_CODE_TAKEN: 409,
});
