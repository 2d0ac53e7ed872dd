import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** After a failure, how long calls skip Redis before one call tries it again. */
const RETRY_AFTER_MS = 5_000;

/**
 * A circuit breaker for optional Redis calls (those with a correct fallback): the outage is
 * decided once, not per request. While the client is not connected, or within RETRY_AFTER_MS of
 * a failure, calls take the fallback at once instead of each waiting out the command timeout;
 * then a single call probes. One line when the outage starts, one when it ends.
 */
export class RedisOutageBreaker {
  private downSince: number | null = null;
  private retryAt = 0;
  private probing = false;

  constructor(
    private readonly redis: Pick<Redis, 'status'>,
    private readonly logger: Logger,
    /** What is skipped and what stands in for it, for the log lines. */
    private readonly what: string,
  ) {}

  get isOpen(): boolean {
    return this.downSince !== null;
  }

  async run<T>(call: () => Promise<T>, fallback: () => T): Promise<T> {
    if (this.redis.status !== 'ready') {
      // Not connected: no call could succeed. The first call once it is connected probes.
      this.opened(new Error(`Redis connection is ${this.redis.status}`), false);
      return fallback();
    }
    const probe = this.downSince !== null;
    if (probe && (this.probing || Date.now() < this.retryAt)) return fallback();
    if (probe) this.probing = true;
    try {
      const result = await call();
      if (this.downSince !== null) {
        this.logger.log(
          `${this.what}: Redis answers again after ${Date.now() - this.downSince} ms`,
        );
        this.downSince = null;
      }
      return result;
    } catch (err) {
      this.opened(err);
      return fallback();
    } finally {
      if (probe) this.probing = false;
    }
  }

  private opened(err: unknown, backOff = true): void {
    if (backOff) this.retryAt = Date.now() + RETRY_AFTER_MS;
    if (this.downSince !== null) return;
    this.downSince = Date.now();
    this.logger.warn({ err }, `${this.what}: Redis unavailable`);
  }
}
