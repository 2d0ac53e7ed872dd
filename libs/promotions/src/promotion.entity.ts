import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Benefit, Promotion } from '#libs/pricing';

/** A promotion as stored (table `promotions`, owned by this lib). */
@Entity('promotions')
export class PromotionRecord {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', nullable: true }) code!: string | null;
  @Column('text') name!: string;
  @Column('text') kind!: Benefit['kind'];
  @Column({ type: 'integer', nullable: true }) percentBp!: number | null;
  @Column({ type: 'integer', nullable: true }) maxDiscountMinor!: number | null;
  @Column({ type: 'integer', nullable: true }) amountMinor!: number | null;
  @Column({ type: 'integer', nullable: true }) buyQuantity!: number | null;
  @Column({ type: 'integer', nullable: true }) freeQuantity!: number | null;
  @Column({ type: 'uuid', array: true, nullable: true }) productIds!: string[] | null;
  @Column({ type: 'uuid', array: true, nullable: true }) categoryIds!: string[] | null;
  @Column({ type: 'uuid', array: true, nullable: true }) storeIds!: string[] | null;
  @Column('integer') minBasketMinor!: number;
  @Column({ type: 'timestamptz', nullable: true }) startsAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) endsAt!: Date | null;
  @Column('boolean') firstOrderOnly!: boolean;
  @Column({ type: 'integer', nullable: true }) perCustomerLimit!: number | null;
  @Column({ type: 'integer', nullable: true }) usageLimit!: number | null;
  /**
   * Uses held by orders not cancelled, counted only while `usageLimit` is set (claimed and given
   * back in SQL, never read-then-written: ./promotion-uses.ts); without a limit it is not kept,
   * and `Promotions` reports uses from the redemptions.
   */
  @Column('integer') countedUses!: number;
  @Column('boolean') paused!: boolean;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
}

/** The stored row as the pricing function sees it. */
export function toPromotion(r: PromotionRecord): Promotion {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    benefit: benefitOf(r),
    productIds: r.productIds,
    categoryIds: r.categoryIds,
    storeIds: r.storeIds,
    minBasketMinor: r.minBasketMinor,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    firstOrderOnly: r.firstOrderOnly,
    perCustomerLimit: r.perCustomerLimit,
    usageLimit: r.usageLimit,
    paused: r.paused,
  };
}

function benefitOf(r: PromotionRecord): Benefit {
  switch (r.kind) {
    case 'percent':
      return { kind: 'percent', percentBp: r.percentBp!, maxDiscountMinor: r.maxDiscountMinor };
    case 'flat':
      return { kind: 'flat', amountMinor: r.amountMinor! };
    case 'free_delivery':
      return { kind: 'free_delivery' };
    case 'buy_x_get_y':
      return { kind: 'buy_x_get_y', buy: r.buyQuantity!, free: r.freeQuantity! };
  }
}
