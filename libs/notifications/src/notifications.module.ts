import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LogNotificationChannel, NotificationChannel } from './notification-channel.js';
import { Notification } from './notification.entity.js';
import { NotificationsPersonalData } from './notifications-personal-data.js';
import { NotificationsService } from './notifications.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Notification])],
  providers: [
    NotificationsService,
    NotificationsPersonalData,
    { provide: NotificationChannel, useClass: LogNotificationChannel },
  ],
  exports: [NotificationsService, NotificationsPersonalData],
})
export class NotificationsModule {}
