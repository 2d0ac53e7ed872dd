import { money } from '#libs/products';
import type { PromotionUsage, PromotionWithUses } from '#libs/promotions';
import type { PromotionDto, PromotionUsageDto } from './dto/promotions.dto.js';

export function toPromotionDto(p: PromotionWithUses): PromotionDto {
  return {
    ...p,
    startsAt: p.startsAt?.toISOString() ?? null,
    endsAt: p.endsAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function toUsageDto(u: PromotionUsage): PromotionUsageDto {
  return {
    promotion: toPromotionDto(u.promotion),
    released: u.released,
    discountGiven: money(u.discountGivenMinor),
    recent: u.recent.map((r) => ({
      orderId: r.orderId,
      userId: r.userId,
      amount: money(r.amountMinor),
      redeemedAt: r.redeemedAt.toISOString(),
      releasedAt: r.releasedAt?.toISOString() ?? null,
    })),
  };
}
