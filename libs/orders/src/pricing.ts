export interface CartLine {
  productId: string;
  quantity: number;
}

export interface PricedLine extends CartLine {
  unitPriceMinor: number;
  lineTotalMinor: number;
}

export interface Totals {
  subtotalMinor: number;
  deliveryFeeMinor: number;
  totalMinor: number;
}

/** Lines for the same product become one line (quantities added), in first-seen order. */
export function mergeLines(lines: CartLine[]): CartLine[] {
  const merged = new Map<string, number>();
  for (const line of lines)
    merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

/** Server-side pricing in integer paise: line totals, subtotal, delivery fee, total. */
export function priceOrder(
  lines: CartLine[],
  unitPrices: Map<string, number>,
  fees: { deliveryFeeMinor: number; freeDeliveryAboveMinor: number },
): { lines: PricedLine[]; totals: Totals } {
  const priced = lines.map((line) => {
    const unitPriceMinor = unitPrices.get(line.productId);
    if (unitPriceMinor === undefined) throw new Error(`no price for ${line.productId}`);
    return { ...line, unitPriceMinor, lineTotalMinor: unitPriceMinor * line.quantity };
  });
  const subtotalMinor = priced.reduce((sum, line) => sum + line.lineTotalMinor, 0);
  const deliveryFeeMinor = subtotalMinor >= fees.freeDeliveryAboveMinor ? 0 : fees.deliveryFeeMinor;
  return {
    lines: priced,
    totals: { subtotalMinor, deliveryFeeMinor, totalMinor: subtotalMinor + deliveryFeeMinor },
  };
}
