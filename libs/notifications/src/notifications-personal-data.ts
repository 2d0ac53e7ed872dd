import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '#libs/platform';
import { Notification } from './notification.entity.js';
import { toNotificationView } from './notifications.service.js';

/** The user's inbox: exported whole, deleted on erasure (nothing in it is needed afterwards). */
@Injectable()
export class NotificationsPersonalData implements PersonalDataHolder {
  async exportFor(m: EntityManager, userId: string): Promise<Record<string, unknown>> {
    const rows = await m.find(Notification, {
      where: { userId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return { notifications: rows.map(toNotificationView) };
  }

  async eraseFor(m: EntityManager, userId: string): Promise<void> {
    await m.query(`DELETE FROM notifications WHERE user_id = $1`, [userId]);
  }
}
