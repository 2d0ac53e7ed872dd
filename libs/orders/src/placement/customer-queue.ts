import { Injectable } from '@nestjs/common';
import { DomainError } from '#libs/platform';

/**
 * Placements of one customer run one at a time in this process, and at most `maxWaiting` wait.
 * They would serialise anyway on the customer's lock in PostgreSQL; queueing them here first
 * means a customer flooding an instance holds one database connection, not the whole pool (an
 * outside test starved other customers with 1,500 concurrent placements of one customer).
 */
@Injectable()
export class CustomerQueue {
  private readonly queues = new Map<string, { tail: Promise<void>; size: number }>();
  /** One runs, this many more may wait (429 beyond). */
  private readonly maxWaiting = 8;

  run<T>(customerId: string, task: () => Promise<T>): Promise<T> {
    const queue = this.queues.get(customerId) ?? { tail: Promise.resolve(), size: 0 };
    if (queue.size > this.maxWaiting) {
      throw new DomainError('RATE_LIMITED', 'Too many orders in progress at once; retry shortly', {
        retryAfter: 1,
      });
    }
    queue.size++;
    this.queues.set(customerId, queue);
    const result = queue.tail.then(task);
    // The tail never rejects: a failed placement must not fail the next one, nor go unhandled.
    queue.tail = result
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        if (--queue.size === 0) this.queues.delete(customerId);
      });
    return result;
  }
}
