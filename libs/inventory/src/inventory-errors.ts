import { defineErrors, type Codes } from '#libs/platform';

/** The error codes of stock: removing more than there is, or ordering it (placement). */
export const INVENTORY_ERRORS = defineErrors('inventory', {
  INSUFFICIENT_STOCK: 409,
});

declare module '#libs/platform' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Codes<typeof INVENTORY_ERRORS> {}
}
