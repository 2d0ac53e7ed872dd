import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The customer's rating of a delivered order (table `order_ratings`, owned by libs/ratings). */
@Entity('order_ratings')
export class OrderRating {
  @PrimaryColumn('uuid') orderId!: string;
  /** Null once the customer's account is erased (the scores stay in the averages). */
  @Column({ type: 'uuid', nullable: true }) userId!: string | null;
  @Column('uuid') storeId!: string;
  @Column({ type: 'uuid', nullable: true }) riderId!: string | null;
  @Column('smallint') orderScore!: number;
  @Column({ type: 'smallint', nullable: true }) riderScore!: number | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) riderComment!: string | null;
  @Column('timestamptz') createdAt!: Date;
}

export interface RatingView {
  orderId: string;
  storeId: string;
  riderId?: string;
  orderScore: number;
  riderScore?: number;
  riderComment?: string;
  createdAt: string;
}

export function toRatingView(r: OrderRating): RatingView {
  return {
    orderId: r.orderId,
    storeId: r.storeId,
    ...(r.riderId ? { riderId: r.riderId } : {}),
    orderScore: r.orderScore,
    ...(r.riderScore !== null ? { riderScore: r.riderScore } : {}),
    ...(r.riderComment !== null ? { riderComment: r.riderComment } : {}),
    createdAt: r.createdAt.toISOString(),
  };
}
