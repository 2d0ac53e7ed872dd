export * from './cancel-reasons.js';
export * from './capacity/delivery-promise.js';
export * from './capacity/store-capacity.js';
export * from './order-access.js';
export * from './order-errors.js';
export * from './order-labels.js';
export * from './order-queries.js';
export * from './order-state-machine.js';
export * from './order-transitions.js';
export * from './order-view.js';
export * from './order.entity.js';
export * from './orders.module.js';
export * from './outbox/index.js';
export * from './placement/customer-queue.js';
export * from './placement/idempotency.js';
export * from './placement/order-placement.js';
export * from './pricing.js';
export * from './order-short-picks.js';
export * from './staff-notes/order-staff-note.entity.js';
export * from './staff-notes/order-staff-notes.js';
export {
  claimAndLockStatements,
  customerOpenOrderCount,
  definePlacementWrite,
  PLACEMENT_REFUSALS,
  writePlacementStatement,
  type PlacementWrite,
  type WriteExtension,
  type WriteParams,
} from './placement/placement-statements.js';
export * from './first-order.js';
export * from './order-personal-data.js';
export * from './overview/order-revenue.js';
export {
  StoreDayOverview,
  FIGURES as STORE_DAY_FIGURES_SQL,
  HOURLY as STORE_DAY_HOURLY_SQL,
  type StoreDayFigures,
  type StoreHour,
} from './overview/store-day-overview.js';
