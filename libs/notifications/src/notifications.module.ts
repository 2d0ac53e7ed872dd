import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '#libs/auth';
import { JobsModule } from '#libs/jobs';
import { AccountEmails } from './email/account-emails.js';
import { EmailDeliveries } from './email/email-deliveries.service.js';
import { EmailDelivery } from './email/email-delivery.entity.js';
import { EmailSender } from './email/email-sender.js';
import { SmtpMailer } from './email/smtp-mailer.js';
import { LogNotificationChannel, NotificationChannel } from './notification-channel.js';
import { Notification } from './notification.entity.js';
import { NotificationsPersonalData } from './notifications-personal-data.js';
import { NotificationsService } from './notifications.service.js';
import { NotificationPreference } from './preferences/notification-preference.entity.js';
import { NotificationPreferences } from './preferences/notification-preferences.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Notification, NotificationPreference, EmailDelivery]),
    AuthModule,
    JobsModule,
  ],
  providers: [
    NotificationsService,
    NotificationsPersonalData,
    NotificationPreferences,
    EmailDeliveries,
    EmailSender,
    SmtpMailer,
    AccountEmails,
    { provide: NotificationChannel, useClass: LogNotificationChannel },
  ],
  exports: [
    NotificationsService,
    NotificationsPersonalData,
    NotificationPreferences,
    EmailDeliveries,
    EmailSender,
    AccountEmails,
  ],
})
export class NotificationsModule {}
