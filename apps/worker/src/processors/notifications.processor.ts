import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { UsersService } from '#libs/auth';
import {
  JOBS,
  LoggedWorkerHost,
  QUEUES,
  workerOptions,
  type OrderNoteJob,
  type OrderStatusJob,
  type SlaAlertJob,
} from '#libs/jobs';
import { NotificationsService } from '#libs/notifications';
import { OrderQueries, type OrderStatus } from '#libs/orders';

const TITLES: Record<OrderStatus, string> = {
  PLACED: 'Order placed',
  PACKED: 'Your order is packed',
  OUT_FOR_DELIVERY: 'Your order is on its way',
  DELIVERED: 'Delivered. Enjoy!',
  CANCELLED: 'Order cancelled',
};

/**
 * One notification per status change for the customer (and the rider once assigned), and one
 * alert per admin when an order misses its promise. Dedupe keys make a job that runs twice
 * notify once.
 */
@Processor(QUEUES.notifications, workerOptions())
export class NotificationsProcessor extends LoggedWorkerHost {
  constructor(
    private readonly orders: OrderQueries,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
  ) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.orderStatus:
        return this.statusChanged(job.data as OrderStatusJob);
      case JOBS.slaAlert:
        return this.slaBreached(job.data as SlaAlertJob);
      case JOBS.orderNote:
        return this.noted(job.data as OrderNoteJob);
      default:
        throw new Error(`unknown job ${job.name}`);
    }
  }

  private async statusChanged({ orderId, seq }: OrderStatusJob): Promise<unknown> {
    const order = await this.orders.get(orderId, { id: null, role: 'system' });
    const event = order.timeline?.find((e) => e.seq === seq);
    if (!event?.toStatus) return 'no status change';
    const recipients = [
      order.userId,
      ...(order.riderId && event.toStatus !== 'PLACED' ? [order.riderId] : []),
    ];
    for (const userId of recipients) {
      await this.notifications.notify({
        userId,
        orderId,
        dedupeKey: `order:${orderId}:${seq}`,
        type: `order.${event.toStatus.toLowerCase()}`,
        title: TITLES[event.toStatus],
        body: event.reason ? `${TITLES[event.toStatus]} (${event.reason})` : TITLES[event.toStatus],
        data: { orderId, status: event.toStatus, seq },
      });
    }
    return { notified: recipients.length };
  }

  /** A short pick (the customer) or a delivery offer (the rider offered it). */
  private async noted({ orderId, seq }: OrderNoteJob): Promise<unknown> {
    const order = await this.orders.get(orderId, { id: null, role: 'system' });
    const event = order.timeline?.find((e) => e.seq === seq);
    const data = event?.data ?? {};
    const rupees = (paise: unknown) => `₹${(Number(paise) / 100).toFixed(2)}`;
    if (event?.type === 'order.short_picked') {
      await this.notifications.notify({
        userId: order.userId,
        orderId,
        dedupeKey: `order:${orderId}:${seq}`,
        type: 'order.short_picked',
        title: 'An item was not available',
        body: `${String(data.name)}: ${String(data.found)} of ${String(data.ordered)} found; ${rupees(data.refundMinor)} will be refunded`,
        data: { orderId, seq, productId: data.productId, refundDueMinor: data.refundDueMinor },
      });
      return { notified: 1 };
    }
    if (event?.type === 'order.rider_offered' && typeof data.riderId === 'string') {
      await this.notifications.notify({
        userId: data.riderId,
        orderId,
        dedupeKey: `offer:${String(data.offerId)}`,
        type: 'order.rider_offered',
        title: 'New delivery offer',
        body: `Accept before ${String(data.expiresAt)}`,
        data: { orderId, offerId: data.offerId, expiresAt: data.expiresAt },
      });
      return { notified: 1 };
    }
    return 'nothing to notify';
  }

  private async slaBreached({ orderId }: SlaAlertJob): Promise<unknown> {
    const admins = await this.users.activeIds('admin');
    for (const userId of admins) {
      await this.notifications.notify({
        userId,
        orderId,
        dedupeKey: `sla:${orderId}`,
        type: 'order.sla_breached',
        title: 'Delivery promise missed',
        body: `Order ${orderId} is past its promised time`,
        data: { orderId },
      });
    }
    return { notified: admins.length };
  }
}
