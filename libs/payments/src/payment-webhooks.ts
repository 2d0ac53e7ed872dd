import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobProducer } from '#libs/jobs';
import { OrderTransitions, OutboxSignal } from '#libs/orders';
import { DomainError } from '#libs/platform';
import './payment-errors.js';
import { PaymentEvents, type ApplyOutcome } from './payment-events.js';
import {
  PAYMENT_PROVIDER,
  WebhookSignatureError,
  type PaymentProvider,
  type ProviderEvent,
} from './provider/payment-provider.js';
import { storable } from './storable-event.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface WebhookReceipt {
  eventId: string;
  duplicate: boolean;
  outcome: ApplyOutcome | 'duplicate' | 'unknown_order' | 'no_payment';
}

/**
 * The provider's webhooks: verified by the provider's own signature check (nothing is written
 * for a bad or old signature), then stored once by event id and applied in the same transaction,
 * the order row locked first as every change to an order does. A duplicate, even delivered to
 * two api instances at once, finds the stored event (the unique key waits for the first to
 * commit) and changes nothing; an api killed mid-way rolls back, and the provider's redelivery
 * applies it.
 */
@Injectable()
export class PaymentWebhooks {
  private readonly logger = new Logger(PaymentWebhooks.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly transitions: OrderTransitions,
    private readonly events: PaymentEvents,
    private readonly outbox: OutboxSignal,
    private readonly producer: JobProducer,
  ) {}

  async receive(rawBody: Buffer, signature: string | undefined): Promise<WebhookReceipt> {
    const event = this.verified(rawBody, signature);
    const orderId = event.payment?.orderId;
    const refundIds: string[] = [];
    const receipt = await this.db.transaction(async (m): Promise<WebhookReceipt> => {
      const order = orderId && UUID.test(orderId) ? await this.transitions.lock(m, orderId) : null;
      const stored: unknown[] = await m.query(
        `INSERT INTO payment_webhook_events (provider, event_id, type, order_id, payload, outcome)
         VALUES ($1, $2, $3, $4, $5, 'received') ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.provider.name, event.id, event.providerType, order?.id ?? null, event.payload],
      );
      if (stored.length === 0) return { eventId: event.id, duplicate: true, outcome: 'duplicate' };
      const outcome: WebhookReceipt['outcome'] = !order
        ? 'unknown_order'
        : !event.payment
          ? 'no_payment'
          : await this.events.applyIn(
              m,
              order,
              this.provider.name,
              { kind: event.kind, payment: event.payment },
              refundIds,
            );
      await m.query(
        `UPDATE payment_webhook_events SET outcome = $3 WHERE provider = $1 AND event_id = $2`,
        [this.provider.name, event.id, outcome],
      );
      return { eventId: event.id, duplicate: false, outcome };
    });
    if (!receipt.duplicate) this.outbox.committed();
    await this.sendRefunds(refundIds);
    this.logger.log({ event: 'payments.webhook', type: event.providerType, ...receipt }, 'webhook');
    return receipt;
  }

  private verified(rawBody: Buffer, signature: string | undefined): ProviderEvent {
    let event: ProviderEvent;
    try {
      event = this.provider.verifyWebhook(rawBody, signature);
    } catch (err) {
      if (!(err instanceof WebhookSignatureError)) throw err;
      throw new DomainError(
        'WEBHOOK_SIGNATURE_INVALID',
        'The webhook signature is missing, wrong or too old',
      );
    }
    // Signed but not an event we can key (an array, no id): a 503 would be redelivered forever.
    const { id, providerType } = event as { id: unknown; providerType: unknown };
    if (typeof id !== 'string' || !/^\S{1,255}$/.test(id) || typeof providerType !== 'string')
      throw new DomainError('WEBHOOK_EVENT_INVALID', 'The webhook is not an event with an id');
    return storable(event);
  }

  /** After the commit; a lost enqueue is sent by the payment sweeper. */
  private async sendRefunds(refundIds: string[]): Promise<void> {
    await this.producer
      .sendRefunds(refundIds)
      .catch((err: unknown) =>
        this.logger.warn({ err }, 'refund jobs not enqueued (the sweeper sends them)'),
      );
  }
}
