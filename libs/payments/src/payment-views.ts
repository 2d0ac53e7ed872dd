import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { visibleOrder, type ActingAs, type PaymentMethod } from '#libs/orders';
import { money, type Money } from '#libs/products';
import { CodCollection, Payment, PaymentLedgerEntry, PaymentRefund } from './payment.entity.js';

export interface RefundView {
  id: string;
  amount: Money;
  reason: string;
  status: 'pending' | 'succeeded';
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

export interface CashView {
  due: Money;
  collected: Money;
  /** due − collected (negative: more was collected than due). */
  shortfall: Money;
  riderId: string;
  collectedAt: string;
}

export interface LedgerEntryView {
  kind: string;
  amount: Money;
  reference: string;
  at: string;
}

/** An order's money: how it is paid, what was taken and given back (docs/api.md "Payments"). */
export interface PaymentView {
  orderId: string;
  method: PaymentMethod;
  status: 'not_started' | 'pending' | 'failed' | 'captured' | 'cash_due' | 'cash_collected';
  provider: string | null;
  providerPaymentId: string | null;
  /** For the provider's checkout (Stripe.js `confirmPayment`): only the customer, while unpaid. */
  clientSecret: string | null;
  amount: Money;
  captured: Money;
  /** Refunds the provider confirmed. */
  refunded: Money;
  /** Refunds claimed and not yet confirmed (the worker retries them). */
  refundPending: Money;
  refunds: RefundView[];
  cash?: CashView;
  /** Admins only: every movement of money. */
  ledger?: LedgerEntryView[];
}

@Injectable()
export class PaymentViews {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async forOrder(orderId: string, actor: ActingAs): Promise<PaymentView> {
    const order = await visibleOrder(this.db.manager, orderId, actor, false);
    const m = (minor: number) => money(minor, order.currency);
    const [payment, refunds, cash] = await Promise.all([
      this.db.getRepository(Payment).findOneBy({ orderId }),
      this.db
        .getRepository(PaymentRefund)
        .find({ where: { orderId }, order: { createdAt: 'ASC' } }),
      this.db.getRepository(CodCollection).findOneBy({ orderId }),
    ]);
    const sum = (status: string) =>
      refunds.filter((r) => r.status === status).reduce((s, r) => s + r.amountMinor, 0);
    const unpaid = payment?.status !== 'captured' && order.status === 'AWAITING_PAYMENT';
    const view: PaymentView = {
      orderId,
      method: order.paymentMethod,
      status:
        order.paymentMethod === 'cod'
          ? cash
            ? 'cash_collected'
            : 'cash_due'
          : (payment?.status ?? 'not_started'),
      provider: payment?.provider ?? null,
      providerPaymentId: payment?.providerPaymentId ?? null,
      clientSecret: actor.role === 'customer' && unpaid ? (payment?.clientSecret ?? null) : null,
      amount: m(payment?.amountMinor ?? order.totalMinor),
      captured: m(payment?.capturedMinor ?? 0),
      refunded: m(sum('succeeded')),
      refundPending: m(sum('pending')),
      refunds: refunds.map((r) => ({
        id: r.id,
        amount: m(r.amountMinor),
        reason: r.reason,
        status: r.status,
        attempts: r.attempts,
        lastError: r.lastError,
        createdAt: r.createdAt.toISOString(),
      })),
      ...(cash
        ? {
            cash: {
              due: m(cash.dueMinor),
              collected: m(cash.collectedMinor),
              shortfall: m(cash.dueMinor - cash.collectedMinor),
              riderId: cash.riderId,
              collectedAt: cash.collectedAt.toISOString(),
            },
          }
        : {}),
    };
    if (actor.role !== 'admin') return view;
    const ledger = await this.db
      .getRepository(PaymentLedgerEntry)
      .find({ where: { orderId }, order: { id: 'ASC' } });
    return {
      ...view,
      ledger: ledger.map((e) => ({
        kind: e.kind,
        amount: m(e.amountMinor),
        reference: e.reference,
        at: e.createdAt.toISOString(),
      })),
    };
  }
}
