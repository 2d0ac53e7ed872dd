/** Money on the wire: integer minor units (paise) and an ISO currency code. */
export interface Money {
  amount: number;
  currency: string;
}

export const CURRENCY = 'INR';

export function money(amount: number, currency = CURRENCY): Money {
  if (!Number.isSafeInteger(amount)) throw new Error(`money amount must be an integer: ${amount}`);
  return { amount, currency };
}
