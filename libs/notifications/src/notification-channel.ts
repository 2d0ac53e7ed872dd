import { Injectable, Logger } from '@nestjs/common';
import type { Notification } from './notification.entity.js';

/** Where notifications go besides the in-app list (SMS, e-mail, push...). */
export abstract class NotificationChannel {
  abstract deliver(notification: Notification): Promise<void>;
}

/** The default channel: a structured log line. A real provider replaces this provider. */
@Injectable()
export class LogNotificationChannel extends NotificationChannel {
  private readonly logger = new Logger('Notifications');

  async deliver(n: Notification): Promise<void> {
    this.logger.log(
      { notificationId: n.id, userId: n.userId, orderId: n.orderId, type: n.type },
      n.title,
    );
  }
}
