import { money, type Money } from './money.js';
import type { Product } from './product.entity.js';

export interface ProductView {
  id: string;
  sku: string;
  name: string;
  description: string;
  categoryId: string;
  price: Money;
  unit: string;
  imageUrl: string | null;
  maxPerOrder: number;
  /** GST rate included in the price, basis points. */
  taxRateBp: number;
  active: boolean;
  /** Units at the requested store (only when a store was asked for). */
  available?: number;
}

export function toProductView(p: Product, available?: number): ProductView {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    categoryId: p.categoryId,
    price: money(p.priceMinor, p.currency),
    unit: p.unitLabel,
    imageUrl: p.imageUrl,
    maxPerOrder: p.maxPerOrder,
    taxRateBp: p.taxRateBp,
    active: p.active,
    ...(available === undefined ? {} : { available }),
  };
}
