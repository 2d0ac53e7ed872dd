export * from './redis.token.js';
export * from './redis.module.js';
export * from './rate-limiter.js';
export * from './read-cache.js';
export * from './read-cache.module.js';
export * from './connection-watch.js';
export * from './outage-breaker.js';
export * from './redis-connections.js';
