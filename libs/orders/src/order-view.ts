import { money, type Money } from '#libs/products';
import type { DeliveryAddress, Order, OrderEvent, OrderItem } from './order.entity.js';
import type { OrderStatus, PaymentMethod } from './order-state-machine.js';

export interface OrderEventView {
  orderId: string;
  seq: number;
  type: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus | null;
  actor: { id: string | null; role: string };
  reason: string | null;
  data: Record<string, unknown>;
  at: string;
}

/** A promotion as applied, and the tax included at one rate (orders and carts show both). */
export interface DiscountView {
  promotionId: string;
  code: string | null;
  name: string;
  kind: string;
  amount: Money;
}
export interface TaxView {
  rateBp: number;
  taxable: Money;
  tax: Money;
}

export interface OrderView {
  id: string;
  status: OrderStatus;
  paymentMethod: PaymentMethod;
  version: number;
  userId: string;
  storeId: string;
  riderId: string | null;
  items: {
    productId: string;
    sku: string;
    name: string;
    unit: string;
    unitPrice: Money;
    quantity: number;
    lineTotal: Money;
    /** This line's share of the discounts. */
    discount: Money;
    taxRateBp: number;
  }[];
  subtotal: Money;
  deliveryFee: Money;
  smallBasketFee: Money;
  /** Every promotion applied, as applied; `discount` is their sum. */
  discounts: DiscountView[];
  discount: Money;
  /** Tax included in the total, per rate. */
  taxes: TaxView[];
  /** subtotal + deliveryFee + smallBasketFee − discount. */
  total: Money;
  /** Owed back to the customer after short picks (zero otherwise). */
  refundDue: Money;
  address: DeliveryAddress;
  note: string | null;
  cancelReason: string | null;
  promisedBy: string;
  placedAt: string;
  updatedAt: string;
  timeline?: OrderEventView[];
}

export function toEventView(e: Omit<OrderEvent, 'id'>): OrderEventView {
  return {
    orderId: e.orderId,
    seq: e.seq,
    type: e.type,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    actor: { id: e.actorId, role: e.actorRole },
    reason: e.reason,
    data: e.data,
    at: e.createdAt.toISOString(),
  };
}

export function toOrderView(
  order: Order,
  items: OrderItem[],
  timeline?: Omit<OrderEvent, 'id'>[],
): OrderView {
  const m = (amount: number) => money(amount, order.currency);
  return {
    id: order.id,
    status: order.status,
    paymentMethod: order.paymentMethod ?? 'cod',
    version: order.version,
    userId: order.userId,
    storeId: order.storeId,
    riderId: order.riderId,
    items: items.map((i) => ({
      productId: i.productId,
      sku: i.sku,
      name: i.name,
      unit: i.unitLabel,
      unitPrice: m(i.unitPriceMinor),
      quantity: i.quantity,
      lineTotal: m(i.lineTotalMinor),
      discount: m(i.discountMinor ?? 0),
      taxRateBp: i.taxRateBp ?? 0,
    })),
    subtotal: m(order.subtotalMinor),
    deliveryFee: m(order.deliveryFeeMinor),
    smallBasketFee: m(order.smallBasketFeeMinor ?? 0),
    discounts: (order.discounts ?? []).map((d) => ({
      promotionId: d.promotionId,
      code: d.code,
      name: d.name,
      kind: d.kind,
      amount: m(d.amountMinor),
    })),
    discount: m(order.discountMinor ?? 0),
    taxes: (order.taxes ?? []).map((t) => ({
      rateBp: t.rateBp,
      taxable: m(t.taxableMinor),
      tax: m(t.taxMinor),
    })),
    total: m(order.totalMinor),
    refundDue: m(order.refundDueMinor ?? 0),
    address: order.address,
    note: order.note,
    cancelReason: order.cancelReason,
    promisedBy: order.promisedBy.toISOString(),
    placedAt: order.placedAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    ...(timeline ? { timeline: timeline.map(toEventView) } : {}),
  };
}
