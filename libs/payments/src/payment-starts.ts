import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrderTransitions, OutboxSignal, visibleOrder, type ActingAs } from '#libs/orders';
import { DomainError } from '#libs/platform';
import './payment-errors.js';
import { Payment } from './payment.entity.js';
import { PaymentViews, type PaymentView } from './payment-views.js';
import { PAYMENT_PROVIDER, type PaymentProvider } from './provider/payment-provider.js';

const SYSTEM = { id: null, role: 'system' } as const;

/**
 * Starting an online order's payment, lazily and idempotently (`POST /v1/orders/{id}/payment`):
 * placement commits the order (AWAITING_PAYMENT) without calling anyone; the app then asks for
 * its payment. The provider is called outside any transaction with the order id as its
 * idempotency key, so a retry (the api died after the call, the answer was lost) gets the same
 * payment; then one transaction records it (once: unique per order) with `payment.pending`. An
 * order nobody pays is cancelled by the payment timeout, its stock returned.
 */
@Injectable()
export class PaymentStarts {
  private readonly logger = new Logger(PaymentStarts.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly transitions: OrderTransitions,
    private readonly outbox: OutboxSignal,
    private readonly views: PaymentViews,
  ) {}

  async start(orderId: string, actor: ActingAs): Promise<PaymentView> {
    const order = await visibleOrder(this.db.manager, orderId, actor, false);
    if (order.paymentMethod !== 'online')
      throw new DomainError('PAYMENT_NOT_ONLINE', 'This order is paid in cash at the door');
    const known = await this.db.getRepository(Payment).findOneBy({ orderId });
    if (known?.clientSecret) return this.views.forOrder(orderId, actor);
    if (order.status !== 'AWAITING_PAYMENT') {
      throw new DomainError('PAYMENT_NOT_OPEN', `Order is ${order.status}: no payment to start`, {
        currentStatus: order.status,
      });
    }
    const created = await this.provider
      .createPayment({
        orderId,
        amountMinor: order.totalMinor,
        currency: order.currency,
        idempotencyKey: `payment-${orderId}`,
      })
      .catch((err: unknown) => {
        this.logger.warn({ err, orderId }, 'payment provider refused or did not answer');
        throw new DomainError(
          'PAYMENT_PROVIDER_UNAVAILABLE',
          'The payment provider is not answering; try again shortly',
        );
      });
    const recorded = await this.db.transaction(async (m) => {
      const locked = (await this.transitions.lock(m, orderId))!;
      const [row] = await m.query(
        `INSERT INTO payments (order_id, provider, provider_payment_id, status, amount_minor, currency, client_secret)
         VALUES ($1, $2, $3, 'pending', $4, $5, $6)
         ON CONFLICT (order_id) DO UPDATE SET client_secret = COALESCE(payments.client_secret, EXCLUDED.client_secret)
         RETURNING (xmax = 0) AS inserted`,
        [
          orderId,
          this.provider.name,
          created.providerPaymentId,
          created.amountMinor,
          locked.currency,
          created.clientSecret,
        ],
      );
      if (!row.inserted || locked.status !== 'AWAITING_PAYMENT') return false;
      await this.transitions.note(m, locked, {
        type: 'payment.pending',
        actor: SYSTEM,
        data: { provider: this.provider.name, providerPaymentId: created.providerPaymentId },
      });
      return true;
    });
    if (recorded) this.outbox.committed();
    return this.views.forOrder(orderId, actor);
  }
}
