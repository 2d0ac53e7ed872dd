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
import { StoresService } from '#libs/inventory';
import {
  NotificationsService,
  promiseMissedText,
  riderOfferText,
  shortPickText,
  statusChangeText,
  type StoreContext,
} from '#libs/notifications';
import { OrderQueries } from '#libs/orders';

/**
 * One notification per status change for the customer (and the rider once assigned), and one
 * alert per admin when an order misses its promise. Dedupe keys make a job that runs twice
 * notify once. The words come from libs/notifications (order-notification-text.ts), times in
 * the store's time zone.
 */
@Processor(QUEUES.notifications, workerOptions())
export class NotificationsProcessor extends LoggedWorkerHost {
  constructor(
    private readonly orders: OrderQueries,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
    private readonly stores: StoresService,
  ) {
    super();
  }

  private async storeOf(storeId: string): Promise<StoreContext> {
    const { name, timezone } = await this.stores.get(storeId);
    return { name, timezone };
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
    const toStatus = event?.toStatus;
    if (!event || !toStatus) return 'no status change';
    const recipients = [
      { userId: order.userId, as: 'customer' as const },
      ...(order.riderId && toStatus !== 'PLACED'
        ? [{ userId: order.riderId, as: 'rider' as const }]
        : []),
    ];
    for (const { userId, as } of recipients) {
      await this.notifications.notify({
        userId,
        orderId,
        dedupeKey: `order:${orderId}:${seq}`,
        type: `order.${toStatus.toLowerCase()}`,
        ...statusChangeText(orderId, { ...event, toStatus }, as),
        data: { orderId, status: toStatus, seq },
      });
    }
    return { notified: recipients.length };
  }

  /** A short pick (the customer) or a delivery offer (the rider offered it). */
  private async noted({ orderId, seq }: OrderNoteJob): Promise<unknown> {
    const order = await this.orders.get(orderId, { id: null, role: 'system' });
    const event = order.timeline?.find((e) => e.seq === seq);
    const data = event?.data ?? {};
    if (event?.type === 'order.short_picked') {
      await this.notifications.notify({
        userId: order.userId,
        orderId,
        dedupeKey: `order:${orderId}:${seq}`,
        type: 'order.short_picked',
        ...shortPickText(event),
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
        ...riderOfferText(orderId, String(data.expiresAt), await this.storeOf(order.storeId)),
        data: { orderId, offerId: data.offerId, expiresAt: data.expiresAt },
      });
      return { notified: 1 };
    }
    return 'nothing to notify';
  }

  private async slaBreached({ orderId }: SlaAlertJob): Promise<unknown> {
    const order = await this.orders.get(orderId, { id: null, role: 'system' });
    const text = promiseMissedText(orderId, order.promisedBy, await this.storeOf(order.storeId));
    const admins = await this.users.activeIds('admin');
    for (const userId of admins) {
      await this.notifications.notify({
        userId,
        orderId,
        dedupeKey: `sla:${orderId}`,
        type: 'order.sla_breached',
        ...text,
        data: { orderId },
      });
    }
    return { notified: admins.length };
  }
}
