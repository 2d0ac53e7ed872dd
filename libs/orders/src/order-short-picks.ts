import { divideHalfUp } from '#libs/pricing';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StockService } from '#libs/inventory';
import { DomainError, NotFoundError } from '#libs/platform';
import { visibleOrder, type ActingAs } from './order-access.js';
import type { OrderStatus } from './order-state-machine.js';
import { appendEvent } from './order-timeline.js';
import { OrderTransitions } from './order-transitions.js';
import { Order, OrderEvent, OrderItem } from './order.entity.js';
import { toOrderView, type OrderView } from './order-view.js';
import { OutboxSignal } from './outbox/outbox-signal.js';

/** A line can be marked short while the order is still in the store. */
const PICKING_STATUSES: readonly OrderStatus[] = ['PLACED', 'PACKED'];

/**
 * Short picks: staff found fewer units of a line than ordered. In one transaction (the order row
 * locked first, as transitions do): the line and the totals recomputed by the server, the
 * difference added to the refund due, the shrinkage in the stock ledger (inventory), an
 * `order.short_picked` event; an order left with no line is cancelled (`out_of_stock`).
 */
@Injectable()
export class OrderShortPicks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stock: StockService,
    private readonly transitions: OrderTransitions,
    private readonly outbox: OutboxSignal,
  ) {}

  async markShort(
    orderId: string,
    productId: string,
    found: number,
    actor: ActingAs,
  ): Promise<OrderView> {
    const view = await this.dataSource.transaction(async (m) => {
      const order = await visibleOrder(m, orderId, actor, true);
      if (!PICKING_STATUSES.includes(order.status)) {
        throw new DomainError(
          'INVALID_TRANSITION',
          `Order is ${order.status}; lines are marked short only while it is PLACED or PACKED`,
          { currentStatus: order.status },
        );
      }
      const items = await m.find(OrderItem, { where: { orderId }, order: { productId: 'ASC' } });
      const line = items.find((i) => i.productId === productId);
      if (!line) throw new NotFoundError('Order line');
      if (!Number.isInteger(found) || found < 0 || found >= line.quantity) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `found must be an integer from 0 to ${line.quantity - 1} (${line.quantity} ordered)`,
        );
      }
      const missing = line.quantity - found;
      // The line keeps the share of its discount that the units found earned (the one rounding
      // rule): a discount never pays for what was not delivered.
      const shrunk = {
        quantity: found,
        lineTotalMinor: found * line.unitPriceMinor,
        discountMinor: divideHalfUp(line.discountMinor * found, line.quantity),
      };
      if (found === 0) {
        await m.delete(OrderItem, { orderId, productId });
      } else {
        await m.update(OrderItem, { orderId, productId }, shrunk);
      }
      const remaining = items
        .filter((i) => i.productId !== productId || found > 0)
        .map((i) => (i.productId === productId ? { ...i, ...shrunk } : i));
      const shrinkage = await this.stock.recordShortPick(m, {
        storeId: order.storeId,
        productId,
        missing,
        orderId,
        actorId: actor.id,
      });
      const fullyShort = remaining.length === 0;
      const subtotal = remaining.reduce((sum, i) => sum + i.lineTotalMinor, 0);
      // The fees charged stay (a smaller basket never starts costing more); nothing to deliver:
      // no fees. A free-delivery discount stays with the delivery fee it paid for.
      const fee = fullyShort ? 0 : order.deliveryFeeMinor;
      const smallBasketFee = fullyShort ? 0 : order.smallBasketFeeMinor;
      const lineDiscounts = (list: OrderItem[]) =>
        list.reduce((sum, i) => sum + i.discountMinor, 0);
      const discount = fullyShort
        ? 0
        : order.discountMinor - (lineDiscounts(items) - lineDiscounts(remaining));
      const total = subtotal + fee + smallBasketFee - discount;
      const refundDue = order.refundDueMinor + (order.totalMinor - total);
      const [[updated]] = await m.query(
        `UPDATE orders SET subtotal_minor = $2, delivery_fee_minor = $3, small_basket_fee_minor = $4,
                discount_minor = $5, total_minor = $6, refund_due_minor = $7,
                version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING version, updated_at`,
        [orderId, subtotal, fee, smallBasketFee, discount, total, refundDue],
      );
      const next: Order = {
        ...order,
        subtotalMinor: subtotal,
        deliveryFeeMinor: fee,
        smallBasketFeeMinor: smallBasketFee,
        discountMinor: discount,
        totalMinor: total,
        refundDueMinor: refundDue,
        version: updated.version,
        updatedAt: updated.updated_at,
      };
      await appendEvent(m, next, {
        type: 'order.short_picked',
        from: null,
        to: null,
        actor,
        reason: fullyShort ? 'out_of_stock' : undefined,
        data: {
          productId,
          sku: line.sku,
          name: line.name,
          ordered: line.quantity,
          found,
          refundMinor: order.totalMinor - total,
          refundDueMinor: refundDue,
          totalMinor: total,
          shrinkage,
        },
      });
      if (fullyShort) {
        return this.transitions.transitionIn(m, orderId, actor, {
          from: order.status,
          to: 'CANCELLED',
          reason: 'out_of_stock',
        });
      }
      const timeline = await m.find(OrderEvent, { where: { orderId }, order: { seq: 'ASC' } });
      return toOrderView(next, remaining, timeline);
    });
    this.outbox.committed();
    return view;
  }
}
