export * from './order-rating.entity.js';
export * from './ratings-errors.js';
export * from './ratings.module.js';
export * from './ratings.service.js';
export * from './ratings-personal-data.js';
