export * from './job-producer.js';
export * from './jobs.module.js';
export * from './queues.js';
export * from './logged-worker-host.js';
export * from './order-event-consumers.js';
