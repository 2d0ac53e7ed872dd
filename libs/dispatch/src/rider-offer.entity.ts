import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const OFFER_STATUSES = ['OFFERED', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/**
 * An order offered to one rider. OFFERED until answered: ACCEPTED (the rider holds the order),
 * DECLINED (by the rider, or because they went off shift), EXPIRED (no answer in time), WITHDRAWN
 * (the order was cancelled or sent out by hand). Partial unique indexes: one open and one
 * accepted offer per order, one open offer per rider.
 */
@Entity('rider_offers')
export class RiderOffer {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') orderId!: string;
  @Column('uuid') riderId!: string;
  @Column('uuid') storeId!: string;
  @Column({ type: 'text' }) status!: OfferStatus;
  /** 1 for the order's first offer, 2 for the next... */
  @Column({ type: 'integer' }) attempt!: number;
  @Column({ type: 'timestamptz' }) offeredAt!: Date;
  @Column({ type: 'timestamptz' }) expiresAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) answeredAt!: Date | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) endReason!: string | null;
}
