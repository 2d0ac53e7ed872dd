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
  /**
   * `signal` aborts when the call has taken too long (3 s): a consumer with several steps may
   * stop at the next one. The relay waits for the call to settle either way (a retry only after
   * it), so calls never overlap.
   */
  handle(events: OrderEventView[], signal: AbortSignal): Promise<void>;
}

/** DI token: the consumers a process runs, listed by its root module (see OutboxModule). */
export const ORDER_EVENT_CONSUMERS = Symbol('ORDER_EVENT_CONSUMERS');
