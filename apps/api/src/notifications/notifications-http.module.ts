import { Module } from '@nestjs/common';
import { NotificationsModule } from '#libs/notifications';
import { AdminEmailDeliveriesController } from './admin-email-deliveries.controller.js';
import { NotificationPreferencesController } from './notification-preferences.controller.js';

/** Notification preferences and the ops view of emails (the inbox routes live with orders). */
@Module({
  imports: [NotificationsModule],
  controllers: [NotificationPreferencesController, AdminEmailDeliveriesController],
})
export class NotificationsHttpModule {}
