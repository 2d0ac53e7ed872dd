import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { JobsModule } from '#libs/jobs';
import { OrdersModule } from '#libs/orders';
import { CodCollections } from './cod-collections.js';
import { PaymentEvents } from './payment-events.js';
import { PaymentReconciliation } from './payment-reconciliation.js';
import { PaymentStarts } from './payment-starts.js';
import { PaymentViews } from './payment-views.js';
import { PaymentWebhooks } from './payment-webhooks.js';
import {
  CodCollection,
  Payment,
  PaymentLedgerEntry,
  PaymentRefund,
  PaymentWebhookEvent,
} from './payment.entity.js';
import { FakeProvider } from './provider/fake-provider.js';
import { PAYMENT_PROVIDER, type PaymentProvider } from './provider/payment-provider.js';
import { StripeProvider } from './provider/stripe-provider.js';
import { RefundClaims } from './refund-claims.js';
import { RefundRequests } from './refund-requests.js';
import { RefundSender } from './refund-sender.js';

/** The webhook route, where the fake provider sends its signed events (this api's own port). */
export const STRIPE_WEBHOOK_PATH = '/v1/payments/webhooks/stripe';

function providerFor(config: AppConfig): PaymentProvider {
  const { provider, stripe } = config.payments;
  if (provider === 'stripe') return new StripeProvider(stripe);
  return new FakeProvider(stripe, `http://127.0.0.1:${config.http.port}${STRIPE_WEBHOOK_PATH}`);
}

const SERVICES = [
  PaymentStarts,
  PaymentWebhooks,
  PaymentEvents,
  PaymentViews,
  RefundClaims,
  RefundSender,
  CodCollections,
  PaymentReconciliation,
  RefundRequests,
];

/** Payments: methods, the provider, webhooks, refunds, cash collection and their ledger. */
@Module({
  imports: [
    OrdersModule,
    JobsModule,
    TypeOrmModule.forFeature([
      Payment,
      PaymentWebhookEvent,
      PaymentRefund,
      CodCollection,
      PaymentLedgerEntry,
    ]),
  ],
  providers: [
    ...SERVICES,
    { provide: PAYMENT_PROVIDER, inject: [APP_CONFIG], useFactory: providerFor },
  ],
  exports: [...SERVICES, PAYMENT_PROVIDER],
})
export class PaymentsModule {}
