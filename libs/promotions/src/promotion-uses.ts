import type { EntityManager } from 'typeorm';
import { DomainError } from '#libs/platform';

/** One promotion an order redeems, and the discount it gave. */
export interface ClaimedPromotion {
  promotionId: string;
  amountMinor: number;
}

/**
 * Claiming and giving back a promotion's uses. A use is a limited thing like stock: claimed by a
 * conditional update in the transaction that places the order (the promotion still live and under
 * both limits, re-checked on the row's newest version when two claims meet), and given back once,
 * by the transaction that cancels the order (`released_at` is set once, under the order's lock).
 */
export const claimUsesSql = `
  WITH wanted AS (
    SELECT * FROM unnest($3::uuid[], $4::int[]) AS w (promotion_id, amount_minor)
  ), claimed AS (
    UPDATE promotions p SET used = p.used + 1
      FROM wanted w
     WHERE p.id = w.promotion_id AND NOT p.paused
       AND (p.starts_at IS NULL OR p.starts_at <= now())
       AND (p.ends_at IS NULL OR now() < p.ends_at)
       AND (p.usage_limit IS NULL OR p.used < p.usage_limit)
    RETURNING p.id, COALESCE(p.per_customer_limit, 2147483647) AS per_customer
  ), mine AS (
    INSERT INTO promotion_customer_uses AS u (promotion_id, user_id, uses)
    SELECT id, $2, 1 FROM claimed
    ON CONFLICT (promotion_id, user_id) DO UPDATE SET uses = u.uses + 1
     WHERE u.uses < (SELECT c.per_customer FROM claimed c WHERE c.id = excluded.promotion_id)
    RETURNING promotion_id
  ), redeemed AS (
    INSERT INTO promotion_redemptions (order_id, promotion_id, user_id, amount_minor)
    SELECT $1, w.promotion_id, $2, w.amount_minor FROM wanted w JOIN mine m USING (promotion_id)
    RETURNING promotion_id
  )
  SELECT CASE WHEN (SELECT count(*) FROM redeemed) < cardinality($3::uuid[])
              THEN promotion_unavailable() END AS refused`;

/** Gives back the uses an order claimed, once; returns what was given back. */
export const releaseUsesSql = `
  WITH released AS (
    UPDATE promotion_redemptions SET released_at = now()
     WHERE order_id = $1 AND released_at IS NULL
    RETURNING promotion_id, user_id
  ), total AS (
    UPDATE promotions p SET used = p.used - 1 FROM released r WHERE p.id = r.promotion_id
  ), mine AS (
    UPDATE promotion_customer_uses u SET uses = u.uses - 1
      FROM released r WHERE u.promotion_id = r.promotion_id AND u.user_id = r.user_id
  )
  SELECT promotion_id AS "promotionId" FROM released`;

/** Claims `redemptions` for an order in the caller's transaction, or throws PROMOTION_UNAVAILABLE. */
export async function claimUses(
  tx: EntityManager,
  orderId: string,
  userId: string,
  redemptions: readonly ClaimedPromotion[],
): Promise<void> {
  if (redemptions.length === 0) return;
  try {
    await tx.query(claimUsesSql, [
      orderId,
      userId,
      redemptions.map((r) => r.promotionId),
      redemptions.map((r) => r.amountMinor),
    ]);
  } catch (error) {
    if (isRefusal(error))
      throw new DomainError(
        'PROMOTION_UNAVAILABLE',
        'A promotion in this order has just expired, been paused or been used up',
      );
    throw error;
  }
}

/** Gives back an order's uses in the caller's (cancelling) transaction; exactly once. */
export async function releaseUses(tx: EntityManager, orderId: string): Promise<string[]> {
  const rows: { promotionId: string }[] = await tx.query(releaseUsesSql, [orderId]);
  return rows.map((r) => r.promotionId);
}

function isRefusal(error: unknown): boolean {
  const e = error as { code?: unknown; detail?: unknown; driverError?: unknown } | null;
  const cause = (e?.driverError ?? e) as { code?: unknown; detail?: unknown } | null;
  return cause?.code === 'P0001' && cause.detail === 'PROMOTION_UNAVAILABLE';
}
