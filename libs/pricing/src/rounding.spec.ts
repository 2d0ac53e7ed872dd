import fc from 'fast-check';
import { allocate, divideHalfUp, taxIncluded } from './rounding.js';

describe('rounding', () => {
  it('divides half up', () => {
    expect([
      divideHalfUp(5, 2),
      divideHalfUp(4, 3),
      divideHalfUp(5, 3),
      divideHalfUp(0, 7),
    ]).toEqual([3, 1, 2, 0]);
  });

  it('finds the tax inside a tax-inclusive price', () => {
    // ₹105.00 at 5 %: net ₹100.00, tax ₹5.00; ₹100.00 at 18 %: net 84.745… → 84.75, tax 15.25.
    expect(taxIncluded(10_500, 500)).toBe(500);
    expect(taxIncluded(10_000, 1800)).toBe(1525);
    expect(taxIncluded(10_000, 0)).toBe(0);
  });

  it('allocates exactly, in proportion, never more than a part can take', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (weights, fraction) => {
          const sum = weights.reduce((a, w) => a + w, 0);
          fc.pre(sum > 0);
          const total = Math.floor(sum * fraction);
          const shares = allocate(total, weights);
          expect(shares.reduce((a, s) => a + s, 0)).toBe(total);
          shares.forEach((share, i) => {
            expect(share).toBeGreaterThanOrEqual(0);
            expect(share).toBeLessThanOrEqual(weights[i]!);
            expect(Math.abs(share - (total * weights[i]!) / sum)).toBeLessThan(1);
          });
        },
      ),
    );
  });

  it('refuses to allocate an amount over nothing', () => {
    expect(() => allocate(5, [0, 0])).toThrow(RangeError);
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
  });
});
