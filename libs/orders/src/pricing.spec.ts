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
