import type { Logger } from '@nestjs/common';

/** Within this long after a logged failure, further failures are only counted. */
const QUIET_MS = 30_000;

/**
 * A logger of Redis connection failures that writes at most one line per 30 s (with how many it
 * left out), not one per reconnect attempt.
 */
export function connectionErrorLogger(logger: Logger, what: string): (err: Error) => void {
  let loggedAt = -Infinity;
  let quiet = 0;
  return (err) => {
    const now = Date.now();
    if (now - loggedAt < QUIET_MS) {
      quiet++;
      return;
    }
    logger.warn({ err, alsoFailed: quiet }, `${what}: Redis connection failing; retrying`);
    loggedAt = now;
    quiet = 0;
  };
}

/**
 * Listens to an emitter's `error` events with a `connectionErrorLogger` (BullMQ queues print
 * every failure to stderr when nothing listens).
 */
export function watchConnection(
  emitter: { on(event: 'error', listener: (err: Error) => void): unknown },
  logger: Logger,
  what: string,
): void {
  emitter.on('error', connectionErrorLogger(logger, what));
}
