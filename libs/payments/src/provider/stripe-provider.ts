import Stripe from 'stripe';
import type { AppConfig } from '#libs/config';
import {
  WebhookSignatureError,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderPayment,
  type ProviderRefund,
} from './payment-provider.js';

type StripeIntent = Stripe.PaymentIntent;

/** Stripe's PaymentIntent statuses, in our words (automatic capture: `succeeded` is captured). */
function statusOf(intent: Pick<StripeIntent, 'status'>): ProviderPayment['status'] {
  switch (intent.status) {
    case 'succeeded':
      return 'captured';
    case 'canceled':
      return 'cancelled';
    default:
      return 'pending';
  }
}

function toPayment(intent: StripeIntent): ProviderPayment {
  return {
    providerPaymentId: intent.id,
    status: statusOf(intent),
    amountMinor: intent.amount,
    capturedMinor: intent.amount_received ?? 0,
    clientSecret: intent.client_secret ?? null,
    orderId: intent.metadata?.orderId ?? null,
  };
}

function toRefund(refund: Stripe.Refund): ProviderRefund {
  const status =
    refund.status === 'succeeded'
      ? 'succeeded'
      : refund.status === 'failed' || refund.status === 'canceled'
        ? 'failed'
        : 'pending';
  return { providerRefundId: refund.id, status };
}

const KINDS: Record<string, ProviderEvent['kind']> = {
  'payment_intent.succeeded': 'captured',
  'payment_intent.payment_failed': 'failed',
  'payment_intent.created': 'pending',
  'payment_intent.processing': 'pending',
  'payment_intent.requires_action': 'pending',
  'payment_intent.amount_capturable_updated': 'pending',
};

/**
 * Stripe through its official SDK. PaymentIntents with automatic capture (INR, amount in paise,
 * our order id in metadata and in the idempotency key); refunds with one key each; webhooks
 * verified by the SDK's own `constructEvent` (HMAC-SHA256 over timestamp + raw body, with a
 * tolerance). `STRIPE_API_HOST/PORT/PROTOCOL` point the SDK at a stand-in in tests.
 */
export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(private readonly config: AppConfig['payments']['stripe']) {
    this.stripe = new Stripe(config.secretKey ?? 'sk_test_unset', {
      ...(config.host ? { host: config.host } : {}),
      ...(config.port ? { port: config.port } : {}),
      ...(config.protocol ? { protocol: config.protocol } : {}),
      timeout: config.timeoutMs,
      // Our own retries (the worker, the client) carry the same idempotency key.
      maxNetworkRetries: 0,
      telemetry: false,
    });
  }

  async createPayment(input: {
    orderId: string;
    amountMinor: number;
    currency: string;
    idempotencyKey: string;
  }): Promise<ProviderPayment> {
    const intent = await this.stripe.paymentIntents.create(
      {
        amount: input.amountMinor,
        currency: input.currency.toLowerCase(),
        metadata: { orderId: input.orderId },
        automatic_payment_methods: { enabled: true },
      },
      { idempotencyKey: input.idempotencyKey },
    );
    return toPayment(intent);
  }

  async retrievePayment(providerPaymentId: string): Promise<ProviderPayment> {
    return toPayment(await this.stripe.paymentIntents.retrieve(providerPaymentId));
  }

  async refund(input: {
    providerPaymentId: string;
    amountMinor: number;
    idempotencyKey: string;
    orderId: string;
  }): Promise<ProviderRefund> {
    const refund = await this.stripe.refunds.create(
      {
        payment_intent: input.providerPaymentId,
        amount: input.amountMinor,
        metadata: { orderId: input.orderId, refundKey: input.idempotencyKey },
      },
      { idempotencyKey: input.idempotencyKey },
    );
    return toRefund(refund);
  }

  async retrieveRefund(providerRefundId: string): Promise<ProviderRefund> {
    return toRefund(await this.stripe.refunds.retrieve(providerRefundId));
  }

  verifyWebhook(rawBody: Buffer, signature: string | undefined): ProviderEvent {
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signature ?? '',
        this.config.webhookSecret,
        this.config.webhookToleranceSeconds,
      );
    } catch (err) {
      throw new WebhookSignatureError(err instanceof Error ? err.message : 'bad signature');
    }
    return toProviderEvent(event);
  }
}

/** A Stripe event in our words (only PaymentIntent events carry a payment). */
export function toProviderEvent(event: Stripe.Event): ProviderEvent {
  const object = event.data?.object as { object?: string } | undefined;
  const payment = object?.object === 'payment_intent' ? toPayment(object as StripeIntent) : null;
  return {
    id: event.id,
    providerType: event.type,
    kind: payment ? (KINDS[event.type] ?? 'other') : 'other',
    payment,
    payload: event as unknown as Record<string, unknown>,
  };
}
