import { Injectable } from '@nestjs/common';

/**
 * Whether this process is draining: it got SIGTERM and serves on for a while (SHUTDOWN_DRAIN_MS)
 * with its health checks failing, so that load balancers stop sending to it before it closes.
 */
@Injectable()
export class Drain {
  private started = false;

  get draining(): boolean {
    return this.started;
  }

  start(): void {
    this.started = true;
  }
}
