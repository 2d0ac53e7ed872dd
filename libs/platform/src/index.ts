export * from './errors/domain-error.js';
export * from './errors/error-body.js';
export * from './errors/all-exceptions.filter.js';
export * from './http/http-app.js';
export * from './http/request-id.js';
export * from './platform.module.js';
export * from './errors/validation.js';
