import type { EntityManager } from 'typeorm';
import {
  defineStatement,
  raw,
  refusalOf,
  rel,
  sql,
  withCtes,
  type Sql,
  type With,
} from '#libs/database';
import { DomainError } from '#libs/platform';
import './promotion-errors.js';

/** One promotion an order redeems, and the discount it gave. */
export interface ClaimedPromotion {
  promotionId: string;
  amountMinor: number;
}

/** What a claim that could not take every use refuses with (`promotion_unavailable()`). */
export const PROMOTION_REFUSAL = 'promotion_unavailable';

/** The CTEs `claimPromotionUses` adds; `promotion_redeemed` has a row per use taken. */
export type ClaimedUses =
  | 'promotion_wanted'
  | 'promotion_counted'
  | 'promotion_claimed'
  | 'promotion_customer'
  | 'promotion_redeemed';

/** A promotion that can be claimed now (its row as `p`): not paused, inside its window. */
const LIVE = raw(`NOT p.paused
         AND (p.starts_at IS NULL OR p.starts_at <= now())
         AND (p.ends_at IS NULL OR now() < p.ends_at)`);

/**
 * A promotion's uses are claimed in the transaction that places the order and given back once by
 * the transaction that cancels it. Only a limited number of uses is a counted thing, like stock:
 * a promotion with a `usage_limit` claims by a conditional update of its `counted_uses` (when two
 * claims meet, the second is re-checked against the first's committed row). One without a limit
 * is only read: counting its uses in its row would make every order carrying it queue on that
 * row's lock, one commit at a time, shop-wide; its uses are its unreleased redemptions. An edit
 * waits for the claims in flight, and a limit set later recounts (`editPromotion`). A customer's
 * uses are counted per customer (a lock per customer and promotion: only that customer's orders
 * meet on it).
 *
 * These CTEs claim one use of each promotion for an order once `gate` (a relation: the order was
 * inserted) has a row, and record the redemption; the caller refuses the statement when
 * `promotion_redeemed` has fewer rows than promotions asked for (all of an order's promotions or
 * none). Locks: a limited promotion's row, then the customer's count of it, always after the
 * order's insert (the gate), so never before the locks a placement takes first.
 */
export function claimPromotionUses<P extends string>(
  w: With<P>,
  a: {
    orderId: Sql<P>;
    userId: Sql<P>;
    promotionIds: Sql<P>;
    amounts: Sql<P>;
    gate: Sql<P>;
  },
): With<P | ClaimedUses> {
  return w
    .cte(
      'promotion_wanted',
      sql`SELECT * FROM unnest(${a.promotionIds}, ${a.amounts}) AS w (promotion_id, amount_minor)`,
    )
    .cte(
      'promotion_counted',
      sql`UPDATE promotions p SET counted_uses = p.counted_uses + 1
        FROM ${rel('promotion_wanted')} w, ${a.gate}
       WHERE p.id = w.promotion_id AND ${LIVE}
         AND p.usage_limit IS NOT NULL AND p.counted_uses < p.usage_limit
      RETURNING p.id, p.per_customer_limit`,
    )
    .cte(
      'promotion_claimed',
      sql`SELECT c.id, COALESCE(c.per_customer_limit, 2147483647) AS per_customer
        FROM (SELECT id, per_customer_limit FROM ${rel('promotion_counted')}
              UNION ALL
              SELECT p.id, p.per_customer_limit
                FROM promotions p, ${rel('promotion_wanted')} w, ${a.gate}
               WHERE p.id = w.promotion_id AND ${LIVE} AND p.usage_limit IS NULL) c`,
    )
    .cte(
      'promotion_customer',
      sql`INSERT INTO promotion_customer_uses AS u (promotion_id, user_id, uses)
      SELECT c.id, ${a.userId}, 1 FROM ${rel('promotion_claimed')} c
      ON CONFLICT (promotion_id, user_id) DO UPDATE SET uses = u.uses + 1
       WHERE u.uses < (SELECT c.per_customer FROM ${rel('promotion_claimed')} c WHERE c.id = excluded.promotion_id)
      RETURNING promotion_id`,
    )
    .cte(
      'promotion_redeemed',
      sql`INSERT INTO promotion_redemptions (order_id, promotion_id, user_id, amount_minor)
      SELECT ${a.orderId}, w.promotion_id, ${a.userId}, w.amount_minor
        FROM ${rel('promotion_wanted')} w JOIN ${rel('promotion_customer')} m USING (promotion_id)
      RETURNING promotion_id`,
    );
}

/** `promotion_unavailable()` (raises PROMOTION_REFUSAL) unless every wanted use was claimed. */
export function refuseUnlessClaimed<P extends string>(promotionIds: Sql<P>): Sql<P | ClaimedUses> {
  return sql`CASE WHEN (SELECT count(*) FROM ${rel('promotion_redeemed')}) < cardinality(${promotionIds})
                  THEN promotion_unavailable() END`;
}

/** The error for a code that exists but does not apply to this order. */
export function promotionNotApplicable(reason: string): DomainError {
  return new DomainError(
    'PROMOTION_NOT_APPLICABLE',
    `The promotion code does not apply: ${reason}`,
    {
      reason,
    },
  );
}

/** The error for a claim refused by the database. */
export function promotionUnavailable(): DomainError {
  return new DomainError(
    'PROMOTION_UNAVAILABLE',
    'A promotion in this order has just expired, been paused or been used up',
  );
}

const CLAIM = defineStatement<{
  orderId: string;
  userId: string;
  promotionIds: string[];
  amounts: number[];
}>('claim-promotion-uses', (p) =>
  claimPromotionUses(withCtes(), {
    orderId: sql`${p.orderId}::uuid`,
    userId: sql`${p.userId}::uuid`,
    promotionIds: sql`${p.promotionIds}::uuid[]`,
    amounts: sql`${p.amounts}::int[]`,
    gate: raw('(SELECT) AS always'),
  }).select(sql`SELECT ${refuseUnlessClaimed(sql`${p.promotionIds}::uuid[]`)} AS refused`),
);

/**
 * Claims an order's promotions in the caller's transaction, or throws PROMOTION_UNAVAILABLE (the
 * placement claims them in its own statement with the same CTEs; this is for other writers).
 */
export async function claimUses(
  tx: EntityManager,
  orderId: string,
  userId: string,
  claims: readonly ClaimedPromotion[],
): Promise<void> {
  if (claims.length === 0) return;
  const { text, values } = CLAIM.bind({
    orderId,
    userId,
    promotionIds: claims.map((c) => c.promotionId),
    amounts: claims.map((c) => c.amountMinor),
  });
  try {
    await tx.query(text, values);
  } catch (error) {
    if (refusalOf(error) === PROMOTION_REFUSAL) throw promotionUnavailable();
    throw error;
  }
}

/** How long an admin's edit waits for the claims in flight before it gives up (503). */
export const EDIT_LOCK_TIMEOUT_MS = 2_000;

/**
 * An admin's edit of a promotion (`write`, in the caller's transaction), ordered with the claims:
 * the table lock first (SHARE: claims and releases write promotion_redemptions, so it waits for
 * every one in flight to commit and holds new ones until this transaction does; a statement's
 * snapshot is taken after its table locks, so a held claim then reads the promotion as edited).
 * A claim committed before the edit's answer, or reads the edit: a pause, a window moved or a
 * limit lowered is never missed by an order placed after the admin was told. With `recount`
 * (a usage limit set) the counted uses restart from the uses held now, its unreleased
 * redemptions, since claims made without a limit were not counted. Lock order as the claims':
 * the table, then the promotion's row. Admins edit rarely: a few milliseconds of held placements.
 */
export async function editPromotion(
  tx: EntityManager,
  promotionId: string,
  write: () => Promise<void>,
  options: { recount: boolean },
): Promise<void> {
  // Waiting, the lock holds every placement queued behind it: a claim or cancel stuck in flight
  // (its api cut off from the database) must not stop the shop, so the edit gives up (503, retry).
  await tx.query(`SET LOCAL lock_timeout = '${EDIT_LOCK_TIMEOUT_MS}ms'`);
  await tx.query(`LOCK TABLE promotion_redemptions IN SHARE MODE`);
  await tx.query(`SET LOCAL lock_timeout = 0`);
  await write();
  if (options.recount)
    await tx.query(
      `UPDATE promotions SET counted_uses = (SELECT count(*) FROM promotion_redemptions
                                              WHERE promotion_id = $1 AND released_at IS NULL)
        WHERE id = $1`,
      [promotionId],
    );
}

const RELEASE = `
  WITH released AS (
    UPDATE promotion_redemptions SET released_at = now()
     WHERE order_id = $1 AND released_at IS NULL
    RETURNING promotion_id, user_id
  ), counted AS (
    UPDATE promotions p SET counted_uses = p.counted_uses - 1
      FROM released r WHERE p.id = r.promotion_id AND p.usage_limit IS NOT NULL
  ), mine AS (
    UPDATE promotion_customer_uses u SET uses = u.uses - 1
      FROM released r WHERE u.promotion_id = r.promotion_id AND u.user_id = r.user_id
  )
  SELECT promotion_id AS "promotionId" FROM released`;

/**
 * Gives back the uses an order claimed, in the caller's (cancelling) transaction: exactly once,
 * since `released_at` is set once (the caller holds the order's row lock). Before the order's
 * update: its trigger locks the store's open-orders counter, which a placement locks after the
 * promotion's row (at the end of its statement), so a release after it deadlocked with a
 * placement. Returns the promotions.
 */
export async function releaseUses(tx: EntityManager, orderId: string): Promise<string[]> {
  const rows: { promotionId: string }[] = await tx.query(RELEASE, [orderId]);
  return rows.map((r) => r.promotionId);
}
