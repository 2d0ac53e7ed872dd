export * from './auth.module.js';
export * from './auth.service.js';
export * from './passwords/password-policy.js';
export * from './sessions/sessions.service.js';
export * from './tokens/access-tokens.js';
export * from './users/user.entity.js';
export * from './users/user-view.js';
export * from './users/users.service.js';
