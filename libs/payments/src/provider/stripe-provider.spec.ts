import Stripe from 'stripe';
import { loadConfig } from '#libs/config';
import { WebhookSignatureError } from './payment-provider.js';
import { StripeProvider, toProviderEvent } from './stripe-provider.js';

const SECRET = 'whsec_unit_0123456789abcdef';
const intent = {
  id: 'pi_1',
  object: 'payment_intent',
  amount: 24900,
  amount_received: 24900,
  currency: 'inr',
  status: 'succeeded',
  client_secret: 'pi_1_secret_x',
  metadata: { orderId: '7d2c9a4e-5b1f-4c3a-9e8d-2f6a1b0c9d8e' },
};
const event = (type: string, object: object = intent) =>
  ({ id: 'evt_1', object: 'event', type, created: 1, data: { object } }) as unknown as Stripe.Event;

describe('Stripe events in our words', () => {
  it('reads a succeeded PaymentIntent as captured, with our order id', () => {
    expect(toProviderEvent(event('payment_intent.succeeded'))).toMatchObject({
      id: 'evt_1',
      kind: 'captured',
      payment: {
        providerPaymentId: 'pi_1',
        status: 'captured',
        capturedMinor: 24900,
        orderId: intent.metadata.orderId,
      },
    });
  });

  it('reads failures and progress, and ignores what is not about a PaymentIntent', () => {
    const pending = { ...intent, status: 'requires_payment_method', amount_received: 0 };
    expect(toProviderEvent(event('payment_intent.payment_failed', pending)).kind).toBe('failed');
    expect(toProviderEvent(event('payment_intent.processing', pending)).kind).toBe('pending');
    expect(toProviderEvent(event('payment_intent.canceled', pending)).kind).toBe('other');
    expect(
      toProviderEvent(event('charge.refunded', { id: 'ch_1', object: 'charge' })),
    ).toMatchObject({ kind: 'other', payment: null });
  });

  it('verifies signatures with the SDK: right and recent passes; wrong, foreign or old fails', () => {
    const config = loadConfig({ STRIPE_WEBHOOK_SECRET: SECRET }).payments.stripe;
    const provider = new StripeProvider(config);
    const payload = JSON.stringify(event('payment_intent.succeeded'));
    const sign = (opts: { secret?: string; timestamp?: number } = {}) =>
      Stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? SECRET, ...opts });
    expect(provider.verifyWebhook(Buffer.from(payload), sign()).kind).toBe('captured');
    for (const signature of [
      undefined,
      'nonsense',
      sign({ secret: 'whsec_other_0123456789abcdef' }),
      sign({ timestamp: Math.floor(Date.now() / 1000) - 301 }),
    ])
      expect(() => provider.verifyWebhook(Buffer.from(payload), signature)).toThrow(
        WebhookSignatureError,
      );
    expect(() => provider.verifyWebhook(Buffer.from(`${payload} `), sign())).toThrow(
      WebhookSignatureError,
    );
  });
});
