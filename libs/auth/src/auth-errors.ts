import { registerErrorCodes } from '#libs/platform';

declare module '#libs/platform' {
  interface ErrorCodes {
    EMAIL_TAKEN: 409;
    INVALID_CREDENTIALS: 401;
    INVALID_REFRESH_TOKEN: 401;
    REFRESH_TOKEN_REUSED: 401;
    ACCOUNT_DISABLED: 401;
  }
}

/** The error codes of sign-up, login and token refresh. */
export const AUTH_ERROR_CODES = registerErrorCodes({
  EMAIL_TAKEN: 409,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  REFRESH_TOKEN_REUSED: 401,
  ACCOUNT_DISABLED: 401,
});
