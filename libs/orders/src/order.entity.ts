import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { OrderStatus, PaymentMethod } from './order-state-machine.js';

/** A promotion as applied to an order (kept as it was: later edits of the promotion change nothing). */
export interface AppliedDiscount {
  promotionId: string;
  code: string | null;
  name: string;
  kind: string;
  amountMinor: number;
}

/** The tax included in an order's total at one rate. */
export interface IncludedTax {
  rateBp: number;
  taxableMinor: number;
  taxMinor: number;
}

export interface DeliveryAddress {
  line1: string;
  line2?: string;
  city: string;
  pincode: string;
  lat: number;
  lng: number;
  /** For the rider (gate code, landmark); from a saved address or given inline. */
  instructions?: string;
}

@Entity('orders')
export class Order {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') userId!: string;
  @Column('uuid') storeId!: string;
  @Column({ type: 'uuid', nullable: true }) riderId!: string | null;
  @Column({ type: 'text' }) status!: OrderStatus;
  /** cod: cash (or UPI) at the door; online: paid through the provider before it is PLACED. */
  @Column({ type: 'text' }) paymentMethod!: PaymentMethod;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'jsonb' }) address!: DeliveryAddress;
  @Column({ type: 'varchar', length: 500, nullable: true }) note!: string | null;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'integer' }) subtotalMinor!: number;
  @Column({ type: 'integer' }) deliveryFeeMinor!: number;
  @Column({ type: 'integer' }) smallBasketFeeMinor!: number;
  /** What the promotions took off (`discounts` itemises it). total = subtotal + fees − this. */
  @Column({ type: 'integer' }) discountMinor!: number;
  @Column({ type: 'jsonb' }) discounts!: AppliedDiscount[];
  @Column({ type: 'jsonb' }) taxes!: IncludedTax[];
  @Column({ type: 'integer' }) totalMinor!: number;
  /** Owed back to the customer: what short picks took off the total (paid at placement). */
  @Column({ type: 'integer' }) refundDueMinor!: number;
  @Column({ type: 'timestamptz' }) promisedBy!: Date;
  @Column({ type: 'varchar', length: 500, nullable: true }) cancelReason!: string | null;
  @Column({ type: 'timestamptz' }) placedAt!: Date;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('order_items')
export class OrderItem {
  @Column({ type: 'uuid', primary: true }) orderId!: string;
  @Column({ type: 'uuid', primary: true }) productId!: string;
  @Column({ type: 'varchar', length: 64 }) sku!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 40 }) unitLabel!: string;
  @Column({ type: 'integer' }) unitPriceMinor!: number;
  @Column({ type: 'integer' }) quantity!: number;
  @Column({ type: 'integer' }) lineTotalMinor!: number;
  /** This line's share of the order's discounts. */
  @Column({ type: 'integer' }) discountMinor!: number;
  @Column({ type: 'integer' }) taxRateBp!: number;
}

/** The largest event seq: `seq` is a PostgreSQL integer (bounds `afterSeq` inputs). */
export const MAX_EVENT_SEQ = 2_147_483_647;

/** One timeline entry; also the outbox row the relay hands to each consumer after commit. */
@Entity('order_events')
export class OrderEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('uuid') orderId!: string;
  @Column({ type: 'integer' }) seq!: number;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'text', nullable: true }) fromStatus!: OrderStatus | null;
  @Column({ type: 'text', nullable: true }) toStatus!: OrderStatus | null;
  @Column({ type: 'uuid', nullable: true }) actorId!: string | null;
  @Column({ type: 'text' }) actorRole!: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) reason!: string | null;
  @Column({ type: 'jsonb' }) data!: Record<string, unknown>;
  @Column({ type: 'timestamptz' }) createdAt!: Date;
}
