export * from './order-event-feed.js';
export * from './order-events-channel.js';
export * from './rider-locations.js';
export * from './tracking.module.js';
export * from './tracking-emitter.js';
export * from './tracking-publisher.js';
