/** The provider's view of a payment, in our words. */
export type ProviderPaymentStatus = 'pending' | 'failed' | 'captured' | 'cancelled';

export interface ProviderPayment {
  providerPaymentId: string;
  status: ProviderPaymentStatus;
  amountMinor: number;
  /** What the provider holds for us (0 until captured). */
  capturedMinor: number;
  /** What the app needs to show the provider's checkout. */
  clientSecret: string | null;
  /** Our order id, as we gave it to the provider. */
  orderId: string | null;
}

export interface ProviderRefund {
  providerRefundId: string;
  status: 'pending' | 'succeeded' | 'failed';
}

/** A verified webhook event, reduced to what we act on. */
export interface ProviderEvent {
  id: string;
  /** What the provider called it (`payment_intent.succeeded`). */
  providerType: string;
  /** What it means for us: `other` is stored and otherwise ignored. */
  kind: 'captured' | 'failed' | 'pending' | 'other';
  payment: ProviderPayment | null;
  payload: Record<string, unknown>;
}

/** Thrown by `verifyWebhook` when the signature is missing, wrong or too old. */
export class WebhookSignatureError extends Error {}

/**
 * A payment provider, behind which Stripe (and the demo's fake) sit. Every call that creates
 * something carries our idempotency key, so a retry after a lost answer creates nothing twice.
 * Callers never hold a database transaction across these calls.
 */
export interface PaymentProvider {
  readonly name: 'stripe' | 'fake';
  createPayment(input: {
    orderId: string;
    amountMinor: number;
    currency: string;
    idempotencyKey: string;
  }): Promise<ProviderPayment>;
  retrievePayment(providerPaymentId: string): Promise<ProviderPayment>;
  refund(input: {
    providerPaymentId: string;
    amountMinor: number;
    idempotencyKey: string;
    orderId: string;
  }): Promise<ProviderRefund>;
  retrieveRefund(providerRefundId: string): Promise<ProviderRefund>;
  /** The event if `rawBody` carries a valid, recent signature; WebhookSignatureError otherwise. */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): ProviderEvent;
}

/** Nest token of the configured provider. */
export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');
