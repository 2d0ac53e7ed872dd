import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LogNotificationChannel, NotificationChannel } from './notification-channel.js';
import { Notification } from './notification.entity.js';
import { NotificationsService } from './notifications.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Notification])],
  providers: [
    NotificationsService,
    { provide: NotificationChannel, useClass: LogNotificationChannel },
  ],
  exports: [NotificationsService],
})
export class NotificationsModule {}
