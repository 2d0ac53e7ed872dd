import { Injectable } from '@nestjs/common';
import type { OrderEventConsumer, OrderEventView } from '#libs/orders';
import { Dispatcher } from './dispatcher.js';

/**
 * Outbox consumer `dispatch`: a packed order is offered to the next rider; an order sent out by
 * hand or cancelled has its open offer withdrawn; a delivered or cancelled order may free its
 * rider, so its store's waiting orders are offered. Idempotent: an order with an open offer keeps
 * it, and withdrawing twice withdraws nothing more.
 */
@Injectable()
export class DispatchConsumer implements OrderEventConsumer {
  readonly name = 'dispatch';

  constructor(private readonly dispatcher: Dispatcher) {}

  async handle(events: OrderEventView[]): Promise<void> {
    const freed = new Set<string>();
    for (const event of events) {
      switch (event.type) {
        case 'order.packed':
          await this.dispatcher.offer(event.orderId);
          break;
        case 'order.out_for_delivery':
          await this.dispatcher.withdraw(event.orderId, 'sent_out');
          break;
        case 'order.cancelled':
          await this.dispatcher.withdraw(event.orderId, 'order_cancelled');
          if (event.fromStatus === 'OUT_FOR_DELIVERY') freed.add(String(event.data.storeId));
          break;
        case 'order.delivered':
          freed.add(String(event.data.storeId));
          break;
      }
    }
    for (const storeId of freed) await this.dispatcher.offerWaiting(storeId);
  }
}
