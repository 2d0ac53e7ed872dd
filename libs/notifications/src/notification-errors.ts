import { defineErrors, type Codes } from '#libs/platform';

/** The error codes of notifications and their emails. */
export const NOTIFICATION_ERRORS = defineErrors('notifications', {
  EMAIL_NOT_DEAD: 409,
});

declare module '#libs/platform' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Codes<typeof NOTIFICATION_ERRORS> {}
}
