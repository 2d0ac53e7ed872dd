import { defineErrors, type Codes } from '#libs/platform';

/** The error codes of accounts: the address book and data rights. */
export const ACCOUNTS_ERRORS = defineErrors('accounts', {
  /** The customer already has the most saved addresses allowed (`max` in the body). */
  ADDRESS_BOOK_FULL: 409,
  /** The password sent to confirm erasing the account is not the account's (403: the token stays valid). */
  PASSWORD_INCORRECT: 403,
});

declare module '#libs/platform' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Codes<typeof ACCOUNTS_ERRORS> {}
}
