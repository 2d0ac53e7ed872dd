export * from './accounts-errors.js';
export * from './accounts.module.js';
export * from './addresses/address-book.service.js';
export * from './addresses/address-view.js';
export * from './addresses/customer-address.entity.js';
export * from './addresses/address-book-personal-data.js';
export * from './data-rights/data-rights.service.js';
export * from './data-rights/personal-data-holders.js';
