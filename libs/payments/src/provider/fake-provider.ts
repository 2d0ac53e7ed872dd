import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import type { AppConfig } from '#libs/config';
import {
  WebhookSignatureError,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderPayment,
  type ProviderRefund,
} from './payment-provider.js';
import { toProviderEvent } from './stripe-provider.js';

/** Seconds after its creation at which a fake payment is paid (its signed webhook is sent). */
const PAID_AFTER_MS = 2_000;

/**
 * Local demos only (production refuses it): no money moves. A payment is "paid" two seconds
 * after it is created, by a webhook signed like Stripe's and sent to this api's own webhook
 * route, so the demo walks the same path as production (async, signed, stored once). Refunds
 * succeed at once. Kept in the process: a restart forgets fake payments (the reconciliation
 * then finds nothing to repair), which is fine for a demo.
 */
export class FakeProvider implements PaymentProvider {
  readonly name = 'fake' as const;
  private readonly logger = new Logger(FakeProvider.name);
  private readonly payments = new Map<string, ProviderPayment>();
  private readonly webhooks = Stripe.webhooks;

  constructor(
    private readonly config: AppConfig['payments']['stripe'],
    private readonly webhookUrl: string,
  ) {}

  async createPayment(input: {
    orderId: string;
    amountMinor: number;
    idempotencyKey: string;
  }): Promise<ProviderPayment> {
    const id = `fake_pi_${input.idempotencyKey.replace(/[^a-zA-Z0-9]/g, '')}`;
    const known = this.payments.get(id);
    if (known) return known;
    const payment: ProviderPayment = {
      providerPaymentId: id,
      status: 'pending',
      amountMinor: input.amountMinor,
      capturedMinor: 0,
      clientSecret: `${id}_secret_${randomUUID().slice(0, 8)}`,
      orderId: input.orderId,
    };
    this.payments.set(id, payment);
    setTimeout(() => void this.pay(payment), PAID_AFTER_MS).unref();
    return payment;
  }

  async retrievePayment(providerPaymentId: string): Promise<ProviderPayment> {
    const payment = this.payments.get(providerPaymentId);
    if (!payment) throw new Error(`fake payment ${providerPaymentId} unknown`);
    return payment;
  }

  async refund(input: { idempotencyKey: string }): Promise<ProviderRefund> {
    return { providerRefundId: `fake_re_${input.idempotencyKey}`, status: 'succeeded' };
  }

  async retrieveRefund(providerRefundId: string): Promise<ProviderRefund> {
    return { providerRefundId, status: 'succeeded' };
  }

  verifyWebhook(rawBody: Buffer, signature: string | undefined): ProviderEvent {
    try {
      const event = this.webhooks.constructEvent(
        rawBody,
        signature ?? '',
        this.config.webhookSecret,
        this.config.webhookToleranceSeconds,
      );
      return toProviderEvent(event);
    } catch (err) {
      throw new WebhookSignatureError(err instanceof Error ? err.message : 'bad signature');
    }
  }

  private async pay(payment: ProviderPayment): Promise<void> {
    Object.assign(payment, { status: 'captured', capturedMinor: payment.amountMinor });
    const payload = JSON.stringify({
      id: `evt_fake_${randomUUID()}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: payment.providerPaymentId,
          object: 'payment_intent',
          amount: payment.amountMinor,
          amount_received: payment.amountMinor,
          currency: 'inr',
          status: 'succeeded',
          client_secret: payment.clientSecret,
          metadata: { orderId: payment.orderId },
        },
      },
    });
    const signature = this.webhooks.generateTestHeaderString({
      payload,
      secret: this.config.webhookSecret,
    });
    await fetch(this.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    }).catch((err: unknown) => this.logger.warn({ err }, 'fake provider: webhook not delivered'));
  }
}
