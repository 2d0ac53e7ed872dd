import fc from 'fast-check';
import type { FeeRules, PromotionContext } from '#libs/pricing';
import { DomainError } from '#libs/platform';
import { MAX_ORDER_TOTAL_MINOR, mergeLines, priceOrder } from './pricing.js';

const fees: FeeRules = {
  deliveryFeeMinor: 2500,
  freeDeliveryAboveMinor: 19900,
  smallBasketBelowMinor: 0,
  smallBasketFeeMinor: 0,
  minimumOrderMinor: 0,
  feeTaxRateBp: 1800,
};
const context: PromotionContext = {
  now: new Date(),
  storeId: 's',
  hasOrdered: false,
  customerUses: new Map(),
  totalUses: new Map(),
};
const line = (productId: string, quantity: number, unitPriceMinor: number) => ({
  productId,
  categoryId: null,
  quantity,
  unitPriceMinor,
  taxRateBp: 500,
});

describe('mergeLines', () => {
  it('adds up lines of the same product and keeps first-seen order', () => {
    expect(
      mergeLines([
        { productId: 'b', quantity: 1 },
        { productId: 'a', quantity: 2 },
        { productId: 'b', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'b', quantity: 4 },
      { productId: 'a', quantity: 2 },
    ]);
  });

  it('keeps every unit: one line per product, the quantities summed', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            productId: fc.constantFrom('a', 'b', 'c', 'd'),
            quantity: fc.integer({ min: 1, max: 50 }),
          }),
        ),
        (cart) => {
          const merged = mergeLines(cart);
          expect(merged.reduce((n, l) => n + l.quantity, 0)).toBe(
            cart.reduce((n, l) => n + l.quantity, 0),
          );
          expect(new Set(merged.map((l) => l.productId)).size).toBe(merged.length);
        },
      ),
    );
  });
});

describe('priceOrder past the total limit', () => {
  const unit = MAX_ORDER_TOTAL_MINOR / 100;

  it('prices an order of exactly the limit', () => {
    expect(priceOrder([line('gold', 100, unit)], fees, [], context).totalMinor).toBe(
      MAX_ORDER_TOTAL_MINOR,
    );
  });

  it('refuses one paisa more, delivery fee included, with ORDER_TOO_LARGE naming both sums', () => {
    const fee = { ...fees, freeDeliveryAboveMinor: Number.MAX_SAFE_INTEGER }; // delivery charged
    const error = (() => {
      try {
        priceOrder(
          [line('gold', 1, MAX_ORDER_TOTAL_MINOR - fee.deliveryFeeMinor + 1)],
          fee,
          [],
          context,
        );
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'ORDER_TOO_LARGE',
      message:
        'This order comes to ₹10,00,000.01; one order may total at most ₹10,00,000: split it, or order fewer units',
    });
  });

  it('refuses lines that each pass validation but overflow the money columns together', () => {
    const lines = ['a', 'b', 'c'].map((id) => line(id, 100, 10_000_000));
    expect(() => priceOrder(lines, fees, [], context)).toThrow(/one order may total at most/);
  });
});
