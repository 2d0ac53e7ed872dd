import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '#libs/platform';
import { EmailDeliveries } from './email/email-deliveries.service.js';
import { Notification } from './notification.entity.js';
import { toNotificationView } from './notifications.service.js';
import { NotificationPreferences } from './preferences/notification-preferences.service.js';

/**
 * The user's inbox, notification preferences and the emails recorded for them: exported whole,
 * deleted on erasure (nothing in them is needed afterwards).
 */
@Injectable()
export class NotificationsPersonalData implements PersonalDataHolder {
  constructor(
    private readonly preferences: NotificationPreferences,
    private readonly emails: EmailDeliveries,
  ) {}

  async exportFor(m: EntityManager, userId: string): Promise<Record<string, unknown>> {
    const rows = await m.find(Notification, {
      where: { userId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return {
      notifications: rows.map(toNotificationView),
      notificationPreferences: await this.preferences.exportFor(userId),
      emails: (await this.emails.exportFor(userId)).map(({ content, ...email }) =>
        content ? { ...email, content } : email,
      ),
    };
  }

  async eraseFor(m: EntityManager, userId: string): Promise<void> {
    await m.query(`DELETE FROM notifications WHERE user_id = $1`, [userId]);
    await this.preferences.eraseFor(userId, m);
    await this.emails.eraseFor(userId, m);
  }
}
