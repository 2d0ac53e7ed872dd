/**
 * One socket's allowance of messages: a token bucket of `burst` messages refilled at `perSecond`.
 * Per process on purpose: a socket lives on one api instance, so its count is exact here and
 * costs no Redis call — a flood is refused before it costs anything (a lookup, a query).
 */
export class MessageBudget {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.at = now;
  }

  /** Spends one message if there is one left; false when the socket must wait. */
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
