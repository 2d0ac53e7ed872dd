export * from './notification-channel.js';
export * from './notification.entity.js';
export * from './notifications.module.js';
export * from './notifications.service.js';
export * from './order-notification-text.js';
export * from './notifications-personal-data.js';
