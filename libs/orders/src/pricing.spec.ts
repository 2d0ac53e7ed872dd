import { DomainError } from '#libs/platform';
import { MAX_ORDER_TOTAL_MINOR, mergeLines, priceOrder } from './pricing.js';

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

describe('priceOrder past the total limit', () => {
  const fees = { deliveryFeeMinor: 2500, freeDeliveryAboveMinor: 19900 };
  const unit = MAX_ORDER_TOTAL_MINOR / 100;

  it('prices an order of exactly the limit', () => {
    const prices = new Map([['gold', unit]]);
    const { totals } = priceOrder([{ productId: 'gold', quantity: 100 }], prices, fees);
    expect(totals.totalMinor).toBe(MAX_ORDER_TOTAL_MINOR);
  });

  it('refuses one paisa more, delivery fee included, with ORDER_TOO_LARGE naming both sums', () => {
    const prices = new Map([['gold', MAX_ORDER_TOTAL_MINOR - fees.deliveryFeeMinor + 1]]);
    const fee = { ...fees, freeDeliveryAboveMinor: Number.MAX_SAFE_INTEGER }; // delivery charged
    const error = (() => {
      try {
        priceOrder([{ productId: 'gold', quantity: 1 }], prices, fee);
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
    const prices = new Map(['a', 'b', 'c'].map((id) => [id, 10_000_000]));
    const lines = ['a', 'b', 'c'].map((productId) => ({ productId, quantity: 100 }));
    expect(() => priceOrder(lines, prices, fees)).toThrow(/one order may total at most/);
  });
});
