import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ratings of delivered orders (libs/ratings): one per order (the primary key), the order's score
 * and optionally the rider's with a comment. The store and rider are copied from the order when it
 * is rated (a delivered order never changes either) so that averages are one indexed scan.
 * `user_id` is nulled when the customer's account is erased: the scores stay in the averages.
 */
export class CreateOrderRatings1765000910000 implements MigrationInterface {
  name = 'CreateOrderRatings1765000910000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_ratings (
        order_id uuid PRIMARY KEY REFERENCES orders (id),
        user_id uuid REFERENCES users (id),
        store_id uuid NOT NULL REFERENCES stores (id),
        rider_id uuid REFERENCES users (id),
        order_score smallint NOT NULL CHECK (order_score BETWEEN 1 AND 5),
        rider_score smallint CHECK (rider_score BETWEEN 1 AND 5),
        rider_comment varchar(500),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (rider_score IS NULL OR rider_id IS NOT NULL),
        CHECK (rider_comment IS NULL OR rider_score IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX order_ratings_store_idx ON order_ratings (store_id)`);
    await q.query(
      `CREATE INDEX order_ratings_rider_idx ON order_ratings (rider_id) WHERE rider_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX order_ratings_user_idx ON order_ratings (user_id) WHERE user_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE order_ratings`);
  }
}
