export * from './catalog-cache.js';
export * from './categories.service.js';
export * from './category.entity.js';
export * from './money.js';
export * from './product-view.js';
export * from './product.entity.js';
export * from './products.module.js';
export * from './products.service.js';
