export * from './idempotency-keys.js';
export * from './order-state-machine.js';
export * from './order-view.js';
export * from './order.entity.js';
export * from './orders.module.js';
export * from './orders.service.js';
export * from './outbox/index.js';
export * from './pricing.js';
