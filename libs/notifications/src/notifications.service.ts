import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { userNotErasedSql } from '#libs/auth';
import { decodeCursor, NotFoundError, toPage, type Page } from '#libs/platform';
import { NotificationChannel } from './notification-channel.js';
import { Notification } from './notification.entity.js';

export interface NewNotification {
  userId: string;
  orderId?: string | null;
  /** Same key for the same user = the same notification (jobs may run twice). */
  dedupeKey: string;
  type: string;
  title: string;
  body: string;
  data?: Record<string, unknown>;
}

export interface NotificationView {
  id: string;
  orderId: string | null;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export const toNotificationView = (n: Notification): NotificationView => ({
  id: n.id,
  orderId: n.orderId,
  type: n.type,
  title: n.title,
  body: n.body,
  data: n.data,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly channel: NotificationChannel,
  ) {}

  /**
   * Creates the notification once (by dedupe key) and delivers what is not yet delivered:
   * running this twice neither duplicates the row nor re-sends a delivered one.
   */
  async notify(input: NewNotification): Promise<void> {
    // Nothing for an erased account (an order of theirs still in flight goes on notifying).
    await this.dataSource.query(
      `INSERT INTO notifications (user_id, order_id, dedupe_key, type, title, body, data)
       SELECT $1, $2, $3, $4, $5, $6, $7 WHERE ${userNotErasedSql('$1::uuid')}
       ON CONFLICT (user_id, dedupe_key) DO NOTHING`,
      [
        input.userId,
        input.orderId ?? null,
        input.dedupeKey,
        input.type,
        input.title,
        input.body,
        input.data ?? {},
      ],
    );
    const repo = this.dataSource.getRepository(Notification);
    const row = await repo.findOneBy({ userId: input.userId, dedupeKey: input.dedupeKey });
    if (!row || row.deliveredAt) return;
    await this.channel.deliver(row);
    await repo.update(row.id, { deliveredAt: new Date() });
  }

  /** Unread first, then newest first; keyset paginated on (read?, created_at, id). */
  async list(
    userId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<NotificationView>> {
    const params: unknown[] = [userId, page.limit + 1];
    let after = '';
    if (page.cursor) {
      params.push(...decodeCursor(page.cursor, ['int', 'timestamp', 'uuid']));
      after = `AND ((read_at IS NOT NULL)::int > $3
                OR ((read_at IS NOT NULL)::int = $3 AND (created_at, id) < ($4::timestamptz, $5::uuid)))`;
    }
    const ids: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM notifications WHERE user_id = $1 ${after}
        ORDER BY (read_at IS NOT NULL), created_at DESC, id DESC LIMIT $2`,
      params,
    );
    const rows = await this.dataSource
      .getRepository(Notification)
      .findBy({ id: In(ids.map((r) => r.id)) });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = ids.map((r) => toNotificationView(byId.get(r.id)!));
    return toPage(ordered, page.limit, (n) => [n.readAt ? 1 : 0, n.createdAt, n.id]);
  }

  async markRead(userId: string, id: string): Promise<NotificationView> {
    const repo = this.dataSource.getRepository(Notification);
    const row = await repo.findOneBy({ id, userId });
    if (!row) throw new NotFoundError('Notification');
    if (!row.readAt) await repo.update(row.id, { readAt: new Date() });
    return toNotificationView(await repo.findOneByOrFail({ id }));
  }
}
