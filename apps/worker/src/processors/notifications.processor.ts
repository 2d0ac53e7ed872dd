import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import { UsersService } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';
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
  EmailDeliveries,
  kindOfEvent,
  NotificationPreferences,
  NotificationsService,
  orderEventEmail,
  promiseMissedText,
  refundText,
  riderOfferText,
  shortPickText,
  statusChangeText,
  type NewNotification,
  type NotificationText,
  type StoreContext,
} from '#libs/notifications';
import { OrderQueries, type OrderEventView, type OrderView } from '#libs/orders';

/**
 * One notification per status change for the customer (and the rider once assigned; the
 * customer's also by email, as their preferences say), a refund's for the customer, and one
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
    private readonly preferences: NotificationPreferences,
    private readonly emails: EmailDeliveries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /**
   * The customer's side of an order event: in the inbox and by email, as their preferences for
   * its kind say (kinds without a preference: in the inbox only). The email is recorded here,
   * sent by its own job (queue `email`).
   */
  private async tellCustomer(
    order: OrderView,
    event: OrderEventView,
    text: NotificationText,
    inbox: Omit<NewNotification, 'userId' | 'title' | 'body'>,
  ): Promise<void> {
    const kind = kindOfEvent(event.type);
    const channels = kind
      ? await this.preferences.channels(order.userId, kind)
      : { inApp: true, email: false };
    if (channels.inApp)
      await this.notifications.notify({ ...inbox, ...text, userId: order.userId });
    if (!kind || !channels.email || !this.emails.enabled) return;
    const [customer, store] = await Promise.all([
      this.users.get(order.userId),
      this.storeOf(order.storeId),
    ]);
    await this.emails.record({
      userId: order.userId,
      kind,
      dedupeKey: `order:${order.id}:${event.seq}`,
      orderId: order.id,
      content: orderEventEmail({
        order,
        text,
        customerName: customer.name,
        storeName: store.name,
        publicBaseUrl: this.config.email.publicBaseUrl,
      }),
    });
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
    const inbox = {
      orderId,
      dedupeKey: `order:${orderId}:${seq}`,
      type: `order.${toStatus.toLowerCase()}`,
      data: { orderId, status: toStatus, seq },
    };
    await this.tellCustomer(
      order,
      event,
      statusChangeText(orderId, { ...event, toStatus }, 'customer'),
      inbox,
    );
    if (order.riderId && toStatus !== 'PLACED') {
      await this.notifications.notify({
        ...inbox,
        userId: order.riderId,
        ...statusChangeText(orderId, { ...event, toStatus }, 'rider'),
      });
      return { notified: 2 };
    }
    return { notified: 1 };
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
    if (event?.type === 'payment.refunded') {
      await this.tellCustomer(order, event, refundText(event), {
        orderId,
        dedupeKey: `order:${orderId}:${seq}`,
        type: 'payment.refunded',
        data: { orderId, seq, refundMinor: data.amountMinor ?? data.refundMinor },
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
