import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JOBS, LoggedWorkerHost, QUEUES, workerOptions, type OrderStatusJob } from '#libs/jobs';
import { NotificationsService } from '#libs/notifications';
import { OrdersService, type OrderStatus } from '#libs/orders';

const TITLES: Record<OrderStatus, string> = {
  PLACED: 'Order placed',
  PACKED: 'Your order is packed',
  OUT_FOR_DELIVERY: 'Your order is on its way',
  DELIVERED: 'Delivered. Enjoy!',
  CANCELLED: 'Order cancelled',
};

/** One notification per status change for the customer (and the rider once assigned). */
@Processor(QUEUES.notifications, workerOptions())
export class NotificationsProcessor extends LoggedWorkerHost {
  constructor(
    private readonly orders: OrdersService,
    private readonly notifications: NotificationsService,
  ) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    if (job.name !== JOBS.orderStatus) throw new Error(`unknown job ${job.name}`);
    const { orderId, seq } = job.data as OrderStatusJob;
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
}
