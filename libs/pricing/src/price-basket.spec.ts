import fc from 'fast-check';
import { priceBasket, type BasketLine, type FeeRules } from './price-basket.js';
import type { Benefit, Promotion, PromotionContext } from './promotion.js';

const FEES: FeeRules = {
  deliveryFeeMinor: 2_500,
  freeDeliveryAboveMinor: 19_900,
  smallBasketBelowMinor: 9_900,
  smallBasketFeeMinor: 1_500,
  minimumOrderMinor: 4_900,
  feeTaxRateBp: 1_800,
};
const NOW = new Date('2026-12-07T10:00:00Z');
const context = (over: Partial<PromotionContext> = {}): PromotionContext => ({
  now: NOW,
  storeId: 'store-1',
  hasOrdered: true,
  customerUses: new Map(),
  totalUses: new Map(),
  ...over,
});
const promotion = (benefit: Benefit, over: Partial<Promotion> = {}): Promotion => ({
  id: 'p1',
  code: 'SAVE',
  name: 'Save',
  benefit,
  productIds: null,
  categoryIds: null,
  storeIds: null,
  minBasketMinor: 0,
  startsAt: null,
  endsAt: null,
  firstOrderOnly: false,
  perCustomerLimit: null,
  usageLimit: null,
  paused: false,
  ...over,
});
const milk: BasketLine = {
  productId: 'milk',
  categoryId: 'dairy',
  quantity: 3,
  unitPriceMinor: 2_800,
  taxRateBp: 500,
};
const atta: BasketLine = {
  productId: 'atta',
  categoryId: 'staples',
  quantity: 1,
  unitPriceMinor: 29_500,
  taxRateBp: 500,
};
const chips: BasketLine = {
  productId: 'chips',
  categoryId: 'snacks',
  quantity: 2,
  unitPriceMinor: 2_000,
  taxRateBp: 1_200,
};

describe('priceBasket', () => {
  it('the worked example of docs/api.md: 10% off capped at ₹50, buy 2 chips get 1 free', () => {
    const priced = priceBasket(
      [milk, atta, { ...chips, quantity: 3 }],
      FEES,
      [
        promotion({ kind: 'percent', percentBp: 1_000, maxDiscountMinor: 5_000 }),
        promotion(
          { kind: 'buy_x_get_y', buy: 2, free: 1 },
          {
            id: 'p0',
            code: null,
            name: 'Chips: buy 2, get 1 free',
            productIds: ['chips'],
          },
        ),
      ],
      context(),
    );
    // 8,400 + 29,500 + 6,000 = 43,900; chips' free one 2,000; 10% of 41,900 = 4,190 (< cap).
    expect(priced.subtotalMinor).toBe(43_900);
    expect(priced.discounts.map((d) => [d.name, d.amountMinor])).toEqual([
      ['Chips: buy 2, get 1 free', 2_000],
      ['Save', 4_190],
    ]);
    expect(priced.fees).toEqual({ deliveryMinor: 0, smallBasketMinor: 0 });
    expect(priced.totalMinor).toBe(43_900 - 6_190);
    expect(priced.lines.map((l) => l.discountMinor)).toEqual([840, 2_950, 2_400]);
    expect(priced.taxes).toEqual([
      { rateBp: 500, taxableMinor: 34_110, taxMinor: 1_624 },
      { rateBp: 1_200, taxableMinor: 3_600, taxMinor: 386 },
    ]);
  });

  it('charges delivery and the small-basket fee below their thresholds, and says when below the minimum', () => {
    const small = priceBasket([{ ...milk, quantity: 1 }], FEES, [], context());
    expect(small.fees).toEqual({ deliveryMinor: 2_500, smallBasketMinor: 1_500 });
    expect(small.totalMinor).toBe(2_800 + 4_000);
    expect(small.belowMinimum).toBe(true);
    expect(small.taxes).toEqual([
      { rateBp: 500, taxableMinor: 2_800, taxMinor: 133 },
      { rateBp: 1_800, taxableMinor: 4_000, taxMinor: 610 },
    ]);
  });

  it('charges no fees when there is nothing to deliver', () => {
    const empty = priceBasket([], FEES, [], context());
    expect([empty.feesMinor, empty.totalMinor, empty.taxes]).toEqual([0, 0, []]);
  });

  it('free delivery takes the delivery fee off, and is refused when there is none', () => {
    const free = promotion({ kind: 'free_delivery' }, { code: 'FREEDEL' });
    const withFee = priceBasket([milk], FEES, [free], context());
    expect(withFee.discounts).toEqual([
      {
        promotionId: 'p1',
        code: 'FREEDEL',
        name: 'Save',
        kind: 'free_delivery',
        amountMinor: 2_500,
      },
    ]);
    expect(withFee.totalMinor).toBe(8_400 + 1_500);
    const noFee = priceBasket([atta], FEES, [free], context());
    expect(noFee.refused).toEqual([
      { promotionId: 'p1', code: 'FREEDEL', reason: 'NOTHING_TO_DISCOUNT' },
    ]);
  });

  it('refuses a code for each of its rules, with the reason', () => {
    const flat = (over: Partial<Promotion>, ctx: Partial<PromotionContext> = {}) =>
      priceBasket(
        [atta],
        FEES,
        [promotion({ kind: 'flat', amountMinor: 5_000 }, over)],
        context(ctx),
      ).refused[0]?.reason;
    expect(flat({ paused: true })).toBe('PAUSED');
    expect(flat({ startsAt: new Date(NOW.getTime() + 1) })).toBe('NOT_STARTED');
    expect(flat({ endsAt: NOW })).toBe('EXPIRED');
    expect(flat({ storeIds: ['store-2'] })).toBe('WRONG_STORE');
    expect(flat({ firstOrderOnly: true })).toBe('FIRST_ORDER_ONLY');
    expect(flat({ firstOrderOnly: true }, { hasOrdered: false })).toBeUndefined();
    expect(flat({ perCustomerLimit: 1 }, { customerUses: new Map([['p1', 1]]) })).toBe(
      'CUSTOMER_LIMIT',
    );
    expect(flat({ usageLimit: 50 }, { totalUses: new Map([['p1', 50]]) })).toBe('USAGE_LIMIT');
    expect(flat({ usageLimit: 50 }, { totalUses: new Map([['p1', 49]]) })).toBeUndefined();
    expect(flat({ minBasketMinor: 29_501 })).toBe('MIN_BASKET');
    expect(flat({ categoryIds: ['dairy'] })).toBe('NOTHING_TO_DISCOUNT');
  });

  it('discounts only eligible lines, never more than they cost', () => {
    const priced = priceBasket(
      [milk, atta],
      FEES,
      [promotion({ kind: 'flat', amountMinor: 100_000 }, { categoryIds: ['dairy'] })],
      context(),
    );
    expect(priced.lines.map((l) => l.discountMinor)).toEqual([8_400, 0]);
    expect(priced.discountMinor).toBe(8_400);
  });

  // The invariant of every total: lines + fees − discounts = total, the parts add up, nothing
  // negative, for random baskets, fees and promotions.
  it('adds up for any basket, fees and promotions', () => {
    const line = fc.record({
      productId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      categoryId: fc.option(fc.constantFrom('x', 'y'), { nil: null }),
      quantity: fc.integer({ min: 1, max: 100 }),
      unitPriceMinor: fc.integer({ min: 0, max: 1_000_000 }),
      taxRateBp: fc.constantFrom(0, 500, 1_200, 1_800, 2_800),
    });
    const benefit: fc.Arbitrary<Benefit> = fc.oneof(
      fc.record({
        kind: fc.constant('percent' as const),
        percentBp: fc.integer({ min: 1, max: 10_000 }),
        maxDiscountMinor: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
      }),
      fc.record({
        kind: fc.constant('flat' as const),
        amountMinor: fc.integer({ min: 1, max: 10_000_000 }),
      }),
      fc.record({ kind: fc.constant('free_delivery' as const) }),
      fc.record({
        kind: fc.constant('buy_x_get_y' as const),
        buy: fc.integer({ min: 1, max: 5 }),
        free: fc.integer({ min: 1, max: 3 }),
      }),
    );
    const promo = fc.record({
      id: fc.uuid(),
      code: fc.option(fc.constantFrom('A', 'B'), { nil: null }),
      benefit,
      productIds: fc.option(fc.subarray(['a', 'b', 'c']), { nil: null }),
      categoryIds: fc.option(fc.subarray(['x', 'y']), { nil: null }),
      minBasketMinor: fc.integer({ min: 0, max: 50_000 }),
    });
    const fees = fc.record({
      deliveryFeeMinor: fc.integer({ min: 0, max: 10_000 }),
      freeDeliveryAboveMinor: fc.integer({ min: 0, max: 100_000 }),
      smallBasketBelowMinor: fc.integer({ min: 0, max: 20_000 }),
      smallBasketFeeMinor: fc.integer({ min: 0, max: 5_000 }),
      minimumOrderMinor: fc.integer({ min: 0, max: 10_000 }),
      feeTaxRateBp: fc.constantFrom(0, 1_800),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(line, { minLength: 1, maxLength: 6, selector: (l) => l.productId }),
        fees,
        fc.array(promo, { maxLength: 4 }),
        (lines, feeRules, promos) => {
          const promotions = promos.map((p) => promotion(p.benefit, { ...p, name: p.id }));
          const priced = priceBasket(lines, feeRules, promotions, context());
          const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
          expect(priced.subtotalMinor).toBe(sum(priced.lines.map((l) => l.lineTotalMinor)));
          expect(priced.feesMinor).toBe(priced.fees.deliveryMinor + priced.fees.smallBasketMinor);
          expect(priced.discountMinor).toBe(sum(priced.discounts.map((d) => d.amountMinor)));
          expect(priced.totalMinor).toBe(
            priced.subtotalMinor + priced.feesMinor - priced.discountMinor,
          );
          const deliveryDiscount = sum(
            priced.discounts.filter((d) => d.kind === 'free_delivery').map((d) => d.amountMinor),
          );
          expect(deliveryDiscount).toBeLessThanOrEqual(priced.fees.deliveryMinor);
          expect(sum(priced.lines.map((l) => l.discountMinor)) + deliveryDiscount).toBe(
            priced.discountMinor,
          );
          for (const l of priced.lines) {
            expect(l.discountMinor).toBeGreaterThanOrEqual(0);
            expect(l.discountMinor).toBeLessThanOrEqual(l.lineTotalMinor);
          }
          expect(priced.totalMinor).toBeGreaterThanOrEqual(0);
          expect(sum(priced.taxes.map((t) => t.taxableMinor))).toBe(priced.totalMinor);
          for (const t of priced.taxes) {
            expect(t.taxMinor).toBeGreaterThanOrEqual(0);
            expect(t.taxMinor).toBeLessThanOrEqual(t.taxableMinor);
          }
          for (const d of priced.discounts) expect(d.amountMinor).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
