export * from './dispatch-errors.js';
export * from './dispatch-views.js';
export * from './dispatch.consumer.js';
export * from './dispatch.module.js';
export * from './dispatcher.service.js';
export * from './rider-offer.entity.js';
export * from './rider-shift.entity.js';
export * from './rider-shifts.service.js';
