import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { UsersService } from '#libs/auth';
import {
  JOBS,
  LoggedWorkerHost,
  QUEUES,
  workerOptions,
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
