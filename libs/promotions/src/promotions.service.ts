import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { conflictOnUnique } from '#libs/database';
import type { Promotion } from '#libs/pricing';
import { DomainError, NotFoundError } from '#libs/platform';
import { ReadCache } from '#libs/redis';
import './promotion-errors.js';
import { PromotionRecord, toPromotion } from './promotion.entity.js';
import { editPromotion } from './promotion-uses.js';

const PROMOTIONS_CACHE = 'promotions';
const CODE_UNIQUE = 'promotions_code_key';

/** A row back from the cache's JSON: its dates as dates. */
function revived(r: PromotionRecord): PromotionRecord {
  const date = (d: Date | string | null) => (d === null ? null : new Date(d));
  return { ...r, startsAt: date(r.startsAt), endsAt: date(r.endsAt) };
}
const CODE_TAKEN = 'Another promotion has this code';

/** What an admin sets on a promotion (its uses are counted by claims, never set). */
export type PromotionInput = Omit<
  PromotionRecord,
  'id' | 'countedUses' | 'createdAt' | 'updatedAt'
>;

/** A promotion as admins see it: with its uses now (held by orders not cancelled). */
export type PromotionWithUses = Omit<PromotionRecord, 'countedUses'> & { used: number };

/** One order's use of a promotion. */
export interface Redemption {
  orderId: string;
  userId: string;
  amountMinor: number;
  redeemedAt: Date;
  releasedAt: Date | null;
}

export interface PromotionUsage {
  promotion: PromotionWithUses;
  /** Uses given back by cancelled orders. */
  released: number;
  /** The discounts of the orders that hold a use now. */
  discountGivenMinor: number;
  /** The latest 50 redemptions. */
  recent: Redemption[];
}

/** The promotions a basket is priced with, and how often each was used (all, and by this customer). */
export interface PromotionsForPricing {
  promotions: Promotion[];
  /** A code was given that no promotion has. */
  unknownCode: boolean;
  customerUses: Map<string, number>;
  totalUses: Map<string, number>;
}

/** Promotions: kept by admins, read by the pricing of carts and orders. */
@Injectable()
export class Promotions {
  constructor(
    @InjectRepository(PromotionRecord) private readonly rows: Repository<PromotionRecord>,
    private readonly cache: ReadCache,
  ) {}

  async create(input: PromotionInput): Promise<PromotionWithUses> {
    checkRules(input);
    const saved = await conflictOnUnique(
      () => this.rows.save(this.rows.create({ ...input, code: normaliseCode(input.code) })),
      CODE_UNIQUE,
      CODE_TAKEN,
      'PROMOTION_CODE_TAKEN',
    );
    await this.cache.invalidate(PROMOTIONS_CACHE);
    return this.get(saved.id); // with what the database set (createdAt, updatedAt)
  }

  /**
   * Edits a promotion, after the orders claiming it now and before the next (`editPromotion`); a
   * usage limit set starts from the uses held now.
   */
  async update(id: string, changes: Partial<PromotionInput>): Promise<PromotionWithUses> {
    const existing = await this.record(id);
    checkRules({ ...existing, ...changes });
    const next = { ...changes, updatedAt: new Date() };
    if ('code' in changes) next.code = normaliseCode(changes.code ?? null);
    await conflictOnUnique(
      () =>
        this.rows.manager.transaction((tx) =>
          editPromotion(tx, id, async () => void (await tx.update(PromotionRecord, { id }, next)), {
            recount: changes.usageLimit != null,
          }),
        ),
      CODE_UNIQUE,
      CODE_TAKEN,
      'PROMOTION_CODE_TAKEN',
    );
    await this.cache.invalidate(PROMOTIONS_CACHE);
    return this.get(id);
  }

  async get(id: string): Promise<PromotionWithUses> {
    const [found] = await this.withUses([await this.record(id)]);
    return found!;
  }

  private async record(id: string): Promise<PromotionRecord> {
    const found = await this.rows.findOneBy({ id });
    if (!found) throw new NotFoundError('Promotion');
    return found;
  }

  /** The promotions with their uses now: their unreleased redemptions, one query for all. */
  private async withUses(records: PromotionRecord[]): Promise<PromotionWithUses[]> {
    const counts: { id: string; n: number }[] = records.length
      ? await this.rows.manager.query(
          `SELECT promotion_id AS id, count(*)::int AS n FROM promotion_redemptions
            WHERE promotion_id = ANY ($1::uuid[]) AND released_at IS NULL GROUP BY promotion_id`,
          [records.map((r) => r.id)],
        )
      : [];
    const used = new Map(counts.map((c) => [c.id, c.n]));
    return records.map(({ countedUses: _, ...r }) => ({ ...r, used: used.get(r.id) ?? 0 }));
  }

  /** What a promotion gave: uses now held, uses given back, the discounts of orders not cancelled. */
  async usage(id: string): Promise<PromotionUsage> {
    const promotion = await this.get(id);
    const rows: Redemption[] = await this.rows.manager.query(
      `SELECT order_id AS "orderId", user_id AS "userId", amount_minor AS "amountMinor",
              redeemed_at AS "redeemedAt", released_at AS "releasedAt"
         FROM promotion_redemptions WHERE promotion_id = $1
        ORDER BY redeemed_at DESC, order_id LIMIT 50`,
      [id],
    );
    const [totals] = await this.rows.manager.query(
      `SELECT count(*) FILTER (WHERE released_at IS NOT NULL)::int AS released,
              COALESCE(sum(amount_minor) FILTER (WHERE released_at IS NULL), 0)::bigint AS given
         FROM promotion_redemptions WHERE promotion_id = $1`,
      [id],
    );
    return {
      promotion,
      released: totals.released,
      discountGivenMinor: Number(totals.given),
      recent: rows,
    };
  }

  /** The code as stored (normalised), or 422 PROMOTION_UNKNOWN when no promotion has it. */
  async knownCode(code: string): Promise<string> {
    const normalised = normaliseCode(code);
    if (!normalised || !(await this.rows.existsBy({ code: normalised })))
      throw new DomainError('PROMOTION_UNKNOWN', 'No promotion has this code');
    return normalised;
  }

  async list(): Promise<PromotionWithUses[]> {
    return this.withUses(await this.rows.find({ order: { createdAt: 'DESC' } }));
  }

  /**
   * What the pricing of a basket at `storeId` (null: no store yet) considers: the store's automatic promotions that
   * are not paused (the pricing checks their window and limits, and says why one does not
   * apply) and the promotion of `code`, if it exists. An unknown code is `unknown: true`.
   */
  async forPricing(
    storeId: string | null,
    code: string | null,
    userId: string,
  ): Promise<PromotionsForPricing> {
    const normalised = normaliseCode(code);
    // The store's automatic promotions are read by every placement: cached for a moment (an
    // admin's change is heard at once through the cache's invalidation). A stale count of uses only
    // shows a use that is gone: the claim in SQL decides.
    const automatic = (
      await this.cache.getOrLoad<PromotionRecord[]>(
        PROMOTIONS_CACHE,
        `automatic:${storeId ?? '-'}`,
        2_000,
        () =>
          this.rows
            .createQueryBuilder('p')
            .where('p.code IS NULL AND NOT p.paused')
            .andWhere('(p.store_ids IS NULL OR CAST(:storeId AS uuid) = ANY (p.store_ids))', {
              storeId,
            })
            .getMany(),
      )
    ).map(revived);
    const coded = normalised ? await this.rows.findOneBy({ code: normalised }) : null;
    const rows = coded ? [...automatic, coded] : automatic;
    const limited = rows.filter((r) => r.perCustomerLimit !== null);
    const mine: { promotionId: string; uses: number }[] = limited.length
      ? await this.rows.manager.query(
          `SELECT promotion_id AS "promotionId", uses FROM promotion_customer_uses
            WHERE user_id = $1 AND promotion_id = ANY ($2::uuid[])`,
          [userId, limited.map((r) => r.id)],
        )
      : [];
    return {
      promotions: rows.map(toPromotion),
      unknownCode: normalised !== null && !coded,
      customerUses: new Map(mine.map((m) => [m.promotionId, m.uses])),
      // Counted only for a promotion with a usage limit: the only one the pricing asks about.
      totalUses: new Map(rows.map((r) => [r.id, r.countedUses])),
    };
  }
}

/** Refuses (400) what the table's checks would refuse, with the field named. */
function checkRules(p: Partial<PromotionInput>): void {
  const need = (field: keyof PromotionInput, ok: boolean) => {
    if (!ok)
      throw new DomainError('VALIDATION_FAILED', `${field} is required for a ${p.kind} promotion`);
  };
  if (p.kind === 'percent') need('percentBp', p.percentBp != null);
  if (p.kind === 'flat') need('amountMinor', p.amountMinor != null);
  if (p.kind === 'buy_x_get_y') {
    need('buyQuantity', p.buyQuantity != null);
    need('freeQuantity', p.freeQuantity != null);
  }
  if (p.startsAt && p.endsAt && p.startsAt.getTime() >= p.endsAt.getTime())
    throw new DomainError('VALIDATION_FAILED', 'endsAt must be after startsAt');
}

/** Codes are matched case-insensitively: stored and looked up in upper case, trimmed. */
export function normaliseCode(code: string | null | undefined): string | null {
  const trimmed = code?.normalize('NFKC').trim().toUpperCase();
  return trimmed ? trimmed : null;
}
