import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { OrderStatus } from '#libs/orders';
import { DomainError, NotFoundError } from '#libs/platform';
import './ratings-errors.js';
import { OrderRating, toRatingView, type RatingView } from './order-rating.entity.js';

/** The longest rider comment kept. */
export const MAX_RIDER_COMMENT = 500;

export interface NewRating {
  orderScore: number;
  riderScore?: number;
  riderComment?: string;
}

export interface ScoreSummary {
  ratings: number;
  /** Mean score, rounded to two decimals. */
  average: number;
}

export interface RatingsSummary {
  stores: (ScoreSummary & { storeId: string })[];
  riders: (ScoreSummary & { riderId: string })[];
}

/**
 * Ratings of delivered orders: once per order (the primary key decides a race: one insert wins,
 * the others find the row and answer 409), only by the order's customer (anyone else: 404), only
 * once the order is DELIVERED (409 naming its status). Averages per store and per rider for admins.
 */
@Injectable()
export class Ratings {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async rate(userId: string, orderId: string, input: NewRating): Promise<RatingView> {
    const [order]: {
      userId: string;
      status: OrderStatus;
      storeId: string;
      riderId: string | null;
    }[] = await this.db.query(
      `SELECT user_id AS "userId", status, store_id AS "storeId", rider_id AS "riderId"
         FROM orders WHERE id = $1`,
      [orderId],
    );
    if (!order || order.userId !== userId) throw new NotFoundError('Order');
    if (order.status !== 'DELIVERED')
      throw new DomainError(
        'ORDER_NOT_DELIVERED',
        `Only a delivered order can be rated; this one is ${order.status}`,
        { currentStatus: order.status },
      );
    if (input.riderScore === undefined && input.riderComment !== undefined)
      throw new DomainError('VALIDATION_FAILED', 'riderComment needs a riderScore');
    if (input.riderScore !== undefined && !order.riderId)
      throw new DomainError('VALIDATION_FAILED', 'riderScore: this order had no rider');
    // A delivered order's store and rider never change: copied here for the averages.
    const rows: OrderRating[] = await this.db.query(
      `INSERT INTO order_ratings (order_id, user_id, store_id, rider_id, order_score, rider_score, rider_comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (order_id) DO NOTHING
       RETURNING order_id AS "orderId"`,
      [
        orderId,
        userId,
        order.storeId,
        order.riderId,
        input.orderScore,
        input.riderScore ?? null,
        input.riderComment ?? null,
      ],
    );
    if (rows.length === 0)
      throw new DomainError('ALREADY_RATED', 'This order has been rated already');
    return toRatingView(await this.db.getRepository(OrderRating).findOneByOrFail({ orderId }));
  }

  /** The customer's rating of their order; 404 if it is not theirs or not rated. */
  async get(userId: string, orderId: string): Promise<RatingView> {
    const r = await this.db.getRepository(OrderRating).findOneBy({ orderId, userId });
    if (!r) throw new NotFoundError('Rating');
    return toRatingView(r);
  }

  /** Averages per store and per rider, narrowed to one store and/or one rider when given. */
  async summary(filter: { storeId?: string; riderId?: string }): Promise<RatingsSummary> {
    const where = `($1::uuid IS NULL OR store_id = $1) AND ($2::uuid IS NULL OR rider_id = $2)`;
    const params = [filter.storeId ?? null, filter.riderId ?? null];
    const stores = await this.db.query(
      `SELECT store_id AS "storeId", count(*)::int AS ratings,
              round(avg(order_score), 2)::float8 AS average
         FROM order_ratings WHERE ${where}
        GROUP BY store_id ORDER BY store_id`,
      params,
    );
    const riders = await this.db.query(
      `SELECT rider_id AS "riderId", count(*)::int AS ratings,
              round(avg(rider_score), 2)::float8 AS average
         FROM order_ratings WHERE ${where} AND rider_score IS NOT NULL
        GROUP BY rider_id ORDER BY rider_id`,
      params,
    );
    return { stores, riders };
  }

  /** The customer's ratings as stored (the data export). */
  async of(m: EntityManager, userId: string): Promise<RatingView[]> {
    const rows = await m.find(OrderRating, { where: { userId }, order: { createdAt: 'ASC' } });
    return rows.map(toRatingView);
  }

  /**
   * Erasure: the scores stay in the store's and rider's averages, no longer linked to the
   * customer; the free-text comment (which may name people) is deleted.
   */
  async anonymise(m: EntityManager, userId: string): Promise<void> {
    await m.query(
      `UPDATE order_ratings SET user_id = NULL, rider_comment = NULL WHERE user_id = $1`,
      [userId],
    );
  }
}
