/**
 * FlashCart's one rounding rule for money (docs/api.md "Pricing"): amounts are integer minor
 * units (paise) and never negative; wherever a division leaves a fraction it is rounded half up,
 * and an amount spread over parts (a discount over lines) is split by the largest remainder, so
 * that the parts always add up to the whole.
 */

/** `numerator / denominator` rounded half up, for non-negative integers. */
export function divideHalfUp(numerator: number, denominator: number): number {
  if (numerator < 0 || denominator <= 0) throw new RangeError('divideHalfUp: negative input');
  const quotient = Math.floor(numerator / denominator);
  const remainder = numerator - quotient * denominator;
  return remainder * 2 >= denominator ? quotient + 1 : quotient;
}

/**
 * `total` split over `weights` in proportion, in integers that add up to exactly `total`
 * (largest remainder; ties go to the earlier weight). A zero weight gets nothing, unless all are
 * zero, which is refused: there is nothing to split over.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  if (total === 0) return weights.map(() => 0);
  if (sum <= 0) throw new RangeError('allocate: no weight to allocate over');
  // BigInt: total × weight can pass 2^53 for large baskets.
  const big = weights.map((w) => BigInt(total) * BigInt(w));
  const shares = big.map((x) => Number(x / BigInt(sum)));
  const remainders = big.map((x, i) => ({ i, r: Number(x % BigInt(sum)) }));
  let left = total - shares.reduce((a, s) => a + s, 0);
  remainders.sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of remainders) {
    if (left === 0) break;
    shares[i]! += 1;
    left -= 1;
  }
  return shares;
}

/**
 * The tax inside a tax-inclusive amount at `rateBp` basis points (1800 = 18 %): the amount less
 * its net value, the net rounded half up. Computed once per rate on the sum of that rate's
 * amounts (not per line), so the tax shown per rate is what an invoice would show.
 */
export function taxIncluded(grossMinor: number, rateBp: number): number {
  if (rateBp === 0 || grossMinor === 0) return 0;
  return grossMinor - divideHalfUp(grossMinor * 10_000, 10_000 + rateBp);
}
