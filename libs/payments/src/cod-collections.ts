import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrderTransitions, OutboxSignal, visibleOrder, type ActingAs } from '#libs/orders';
import { DomainError } from '#libs/platform';
import './payment-errors.js';
import { CodCollection } from './payment.entity.js';
import { recordInLedger } from './payment-ledger.js';
import { PaymentViews, type PaymentView } from './payment-views.js';

/**
 * Cash on delivery: the rider records what the customer paid at the door, once per order (a
 * retry with the same amount answers the same; another amount is refused), with its ledger row
 * and a `payment.cod_collected` event. The amount due is the order's total as it is then (short
 * picks already took theirs off); a shortfall is shown to admins.
 */
@Injectable()
export class CodCollections {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly transitions: OrderTransitions,
    private readonly outbox: OutboxSignal,
    private readonly views: PaymentViews,
  ) {}

  async collect(orderId: string, rider: ActingAs, collectedMinor: number): Promise<PaymentView> {
    const written = await this.db.transaction(async (m) => {
      const order = await visibleOrder(m, orderId, rider, true);
      if (order.paymentMethod !== 'cod')
        throw new DomainError('CASH_NOT_COLLECTABLE', 'This order was paid online', {
          currentStatus: order.status,
        });
      const earlier = await m.findOneBy(CodCollection, { orderId });
      if (earlier) {
        if (earlier.collectedMinor === collectedMinor) return false;
        throw new DomainError('CASH_NOT_COLLECTABLE', 'Cash for this order was already recorded', {
          currentStatus: order.status,
        });
      }
      if (order.status !== 'OUT_FOR_DELIVERY' && order.status !== 'DELIVERED')
        throw new DomainError(
          'CASH_NOT_COLLECTABLE',
          `Order is ${order.status}: cash is collected at the door`,
          { currentStatus: order.status },
        );
      await m.query(
        `INSERT INTO cod_collections (order_id, rider_id, due_minor, collected_minor) VALUES ($1, $2, $3, $4)`,
        [orderId, rider.id, order.totalMinor, collectedMinor],
      );
      await recordInLedger(m, {
        orderId,
        kind: 'cod_collection',
        amountMinor: collectedMinor,
        reference: `cod:${orderId}`,
      });
      await this.transitions.note(m, order, {
        type: 'payment.cod_collected',
        actor: rider,
        data: {
          collectedMinor,
          dueMinor: order.totalMinor,
          shortfallMinor: order.totalMinor - collectedMinor,
        },
      });
      return true;
    });
    if (written) this.outbox.committed();
    return this.views.forOrder(orderId, rider);
  }
}
