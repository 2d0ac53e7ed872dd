export * from './data-source-options.js';
export * from './database.module.js';
export * from './snake-naming.strategy.js';
export * from './postgres-errors.js';
export * from './rule-refusals.js';
export * from './prepared.js';
export * from './pipelined-transaction.js';
export * from './sql.js';
