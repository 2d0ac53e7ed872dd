import type { DataSource, EntityManager } from 'typeorm';

/**
 * Whether the customer has an earlier order that counts against "first order only" promotions
 * (any not cancelled). EXISTS stops at the first one it finds (orders_user_placed_idx), where a
 * count read the customer's whole history on every placement and every cart priced while such a
 * promotion ran.
 */
export async function hasOrdered(db: DataSource | EntityManager, userId: string): Promise<boolean> {
  const [row] = await db.query(HAS_ORDERED_SQL, [userId]);
  return row.ordered === true;
}

/** The statement of `hasOrdered` ($1: the customer), exported for the test of its plan. */
export const HAS_ORDERED_SQL = `SELECT EXISTS (SELECT 1 FROM orders WHERE user_id = $1 AND status <> 'CANCELLED') AS ordered`;
