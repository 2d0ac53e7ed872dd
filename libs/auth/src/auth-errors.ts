import { defineErrors, type Codes } from '#libs/platform';

/** The error codes of sign-up, login and token refresh. */
export const AUTH_ERRORS = defineErrors('auth', {
  EMAIL_TAKEN: 409,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  REFRESH_TOKEN_REUSED: 401,
  ACCOUNT_DISABLED: 401,
  INVALID_ACCOUNT_TOKEN: 400,
});

declare module '#libs/platform' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Codes<typeof AUTH_ERRORS> {}
}
