import type { OrderEventView } from '../order-view.js';

/**
 * A consumer of committed order events (tracking fan-out, job scheduling, notifications...).
 * Each has its own cursor in `outbox_consumers`, so one that fails neither blocks nor loses the
 * others'. Delivery is at least once, in commit order (hence `seq` order per order): `handle` must
 * be idempotent (deduplicate by `orderId` + `seq`) and should fail within a few seconds.
 */
export interface OrderEventConsumer {
  /** Stable: it names the consumer's cursor row. */
  readonly name: string;
  /** False: this process does not run it (and never takes its lease). Default true. */
  readonly enabled?: boolean;
  handle(events: OrderEventView[]): Promise<void>;
}

/** DI token: the consumers a process runs, listed by its root module (see OutboxModule). */
export const ORDER_EVENT_CONSUMERS = Symbol('ORDER_EVENT_CONSUMERS');
