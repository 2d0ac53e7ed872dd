import fc from 'fast-check';
import { mergeLines, priceOrder } from './pricing.js';

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
});

describe('priceOrder', () => {
  const prices = new Map([
    ['milk', 2800],
    ['atta', 29500],
  ]);
  const fees = { deliveryFeeMinor: 2500, freeDeliveryAboveMinor: 19900 };

  it('charges delivery below the threshold', () => {
    const { lines, totals } = priceOrder([{ productId: 'milk', quantity: 3 }], prices, fees);
    expect(lines).toEqual([
      { productId: 'milk', quantity: 3, unitPriceMinor: 2800, lineTotalMinor: 8400 },
    ]);
    expect(totals).toEqual({ subtotalMinor: 8400, deliveryFeeMinor: 2500, totalMinor: 10900 });
  });

  it('delivers free at and above the threshold', () => {
    const at = priceOrder([{ productId: 'milk', quantity: 1 }], new Map([['milk', 19900]]), fees);
    expect(at.totals.deliveryFeeMinor).toBe(0);
    const above = priceOrder(
      [
        { productId: 'milk', quantity: 2 },
        { productId: 'atta', quantity: 1 },
      ],
      prices,
      fees,
    );
    expect(above.totals).toEqual({ subtotalMinor: 35100, deliveryFeeMinor: 0, totalMinor: 35100 });
  });

  it('refuses a line without a server price', () => {
    expect(() => priceOrder([{ productId: 'ghost', quantity: 1 }], prices, fees)).toThrow(
      /no price/,
    );
  });
});

describe('priceOrder (any cart)', () => {
  it('adds up in integer paise: line totals, subtotal, fee and total always agree', () => {
    const line = fc.record({
      productId: fc.constantFrom('a', 'b', 'c', 'd'),
      quantity: fc.integer({ min: 1, max: 50 }),
    });
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (cart, unitPrices, deliveryFeeMinor, freeDeliveryAboveMinor) => {
          const prices = new Map(['a', 'b', 'c', 'd'].map((id, i) => [id, unitPrices[i]!]));
          const merged = mergeLines(cart);
          const { lines, totals } = priceOrder(merged, prices, {
            deliveryFeeMinor,
            freeDeliveryAboveMinor,
          });
          const subtotal = lines.reduce((sum, l) => sum + l.unitPriceMinor * l.quantity, 0);
          expect(lines.every((l) => Number.isInteger(l.lineTotalMinor))).toBe(true);
          expect(totals.subtotalMinor).toBe(subtotal);
          expect(totals.deliveryFeeMinor).toBe(
            subtotal >= freeDeliveryAboveMinor ? 0 : deliveryFeeMinor,
          );
          expect(totals.totalMinor).toBe(totals.subtotalMinor + totals.deliveryFeeMinor);
          // Merging keeps every unit: one line per product, the quantities summed.
          expect(merged.reduce((n, l) => n + l.quantity, 0)).toBe(
            cart.reduce((n, l) => n + l.quantity, 0),
          );
          expect(new Set(merged.map((l) => l.productId)).size).toBe(merged.length);
        },
      ),
    );
  });
});
