export * from './cart-errors.js';
export * from './cart-pricing.js';
export * from './cart-view.js';
export * from './cart.entity.js';
export * from './cart.module.js';
export * from './carts.service.js';
export * from './checkout.js';
export * from './cart-personal-data.js';
