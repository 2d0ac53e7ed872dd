import { Injectable } from '@nestjs/common';

/**
 * "An order event was just committed in this process": lets the relay deliver at once instead of
 * at its next poll. Kept apart from the relay so that OrdersService (below the consumers in the
 * module graph) can signal without knowing them.
 */
@Injectable()
export class OutboxSignal {
  private listener?: () => void;

  committed(): void {
    this.listener?.();
  }

  onCommitted(listener: () => void): void {
    this.listener = listener;
  }
}
