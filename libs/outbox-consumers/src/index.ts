export * from './outbox-consumers.module.js';
