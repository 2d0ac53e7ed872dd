export * from './order-event-consumer.js';
export * from './order-events-relay.js';
export * from './outbox-nudges.js';
export * from './outbox-signal.js';
export * from './outbox-store.js';
export * from './outbox.module.js';
