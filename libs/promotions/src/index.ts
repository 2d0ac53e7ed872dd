export * from './promotion-errors.js';
export * from './promotion-uses.js';
export * from './promotion.entity.js';
export * from './promotions.module.js';
export * from './promotions.service.js';
