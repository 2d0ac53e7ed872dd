export * from './price-basket.js';
export * from './promotion.js';
export * from './rounding.js';
