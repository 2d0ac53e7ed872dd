export * from './catalog.service.js';
export * from './geo.js';
export * from './inventory.module.js';
export * from './stock-movement.entity.js';
export * from './stock.service.js';
export * from './store.entity.js';
export * from './stores.service.js';
export * from './stock-statements.js';
