import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const PAYMENT_STATUSES = ['pending', 'failed', 'captured'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * An order's online payment at the provider (one per order: created with the order id as the
 * provider's idempotency key). `refundedMinor` is what refunds have claimed (sent or not), never
 * more than `capturedMinor` (a CHECK).
 */
@Entity('payments')
export class Payment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') orderId!: string;
  @Column({ type: 'text' }) provider!: string;
  @Column({ type: 'text' }) providerPaymentId!: string;
  @Column({ type: 'text' }) status!: PaymentStatus;
  @Column({ type: 'integer' }) amountMinor!: number;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'text', nullable: true }) clientSecret!: string | null;
  @Column({ type: 'integer' }) capturedMinor!: number;
  @Column({ type: 'integer' }) refundedMinor!: number;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
}

/** A provider webhook event, stored once by its id, with what applying it did. */
@Entity('payment_webhook_events')
export class PaymentWebhookEvent {
  @PrimaryColumn({ type: 'text' }) provider!: string;
  @PrimaryColumn({ type: 'text' }) eventId!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'uuid', nullable: true }) orderId!: string | null;
  @Column({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @Column({ type: 'text' }) outcome!: string;
  @Column({ type: 'timestamptz' }) receivedAt!: Date;
}

/** A refund: its own idempotency key at the provider; pending until the provider confirms it. */
@Entity('payment_refunds')
export class PaymentRefund {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') orderId!: string;
  @Column('uuid') paymentId!: string;
  @Column({ type: 'text' }) idempotencyKey!: string;
  @Column({ type: 'integer' }) amountMinor!: number;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'text' }) status!: 'pending' | 'succeeded';
  @Column({ type: 'text', nullable: true }) providerRefundId!: string | null;
  @Column({ type: 'integer' }) attempts!: number;
  @Column({ type: 'text', nullable: true }) lastError!: string | null;
  @Column({ type: 'boolean' }) alerted!: boolean;
  @Column({ type: 'timestamptz' }) nextAttemptAt!: Date;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
}

/** Cash (or UPI at the door) collected by the rider for a cash-on-delivery order. */
@Entity('cod_collections')
export class CodCollection {
  @PrimaryColumn('uuid') orderId!: string;
  @Column('uuid') riderId!: string;
  @Column({ type: 'integer' }) dueMinor!: number;
  @Column({ type: 'integer' }) collectedMinor!: number;
  @Column({ type: 'timestamptz' }) collectedAt!: Date;
}

export const LEDGER_KINDS = ['capture', 'refund', 'cod_collection'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** Every movement of money, once (unique kind + reference): per order, captured − refunded = paid. */
@Entity('payment_ledger')
export class PaymentLedgerEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('uuid') orderId!: string;
  @Column({ type: 'text' }) kind!: LedgerKind;
  @Column({ type: 'integer' }) amountMinor!: number;
  @Column({ type: 'text' }) reference!: string;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
}
