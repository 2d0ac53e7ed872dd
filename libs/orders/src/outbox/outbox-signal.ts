import { Injectable } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';

/**
 * "An order event was just committed in this process": lets the relay deliver at once instead of
 * at its next poll. Kept apart from the relay so that the writers of events (OrderPlacement,
 * OrderTransitions and the others below the consumers in the module graph) can signal without
 * knowing them.
 */
@Injectable()
export class OutboxSignal {
  private listener?: () => void;
  /** Deliveries run outside the request that committed (its logging context is not theirs). */
  private readonly scope = new AsyncResource('OutboxSignal');

  committed(): void {
    if (this.listener) this.scope.runInAsyncScope(this.listener);
  }

  onCommitted(listener: () => void): void {
    this.listener = listener;
  }
}
