export * from './dispatch-errors.js';
export * from './dispatch-views.js';
export * from './dispatch.consumer.js';
export * from './dispatch.module.js';
export * from './dispatcher.js';
export * from './rider-offer.entity.js';
export * from './rider-shift.entity.js';
export * from './rider-shifts.js';
export { riderLoadSql } from './dispatch-statements.js';
