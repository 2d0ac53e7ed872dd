import { defineErrors, type Codes } from '#libs/platform';

/** The error codes of payments, refunds and cash collection. */
export const PAYMENT_ERRORS = defineErrors('payments', {
  /** The order is paid in cash at the door: there is no online payment to start. */
  PAYMENT_NOT_ONLINE: 409,
  /** The order no longer waits for a payment (paid, or cancelled): names its status. */
  PAYMENT_NOT_OPEN: 409,
  /** The payment provider did not answer (or failed): try again shortly. Nothing was charged twice. */
  PAYMENT_PROVIDER_UNAVAILABLE: 503,
  /** A webhook whose signature is missing, wrong or too old: nothing was written. */
  WEBHOOK_SIGNATURE_INVALID: 400,
  /** A correctly signed webhook that is no event (no id, not an object): nothing was written. */
  WEBHOOK_EVENT_INVALID: 400,
  /** Cash is collected once per order, by its rider, once it is out for delivery. */
  CASH_NOT_COLLECTABLE: 409,
});

declare module '#libs/platform' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Codes<typeof PAYMENT_ERRORS> {}
}
