/**
 * Stable, machine-readable error codes. A client branches on these, so never rename one.
 * Every code maps to exactly one HTTP status in `httpStatusOf` (an exhaustive switch).
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'EMAIL_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_REFRESH_TOKEN'
  | 'REFRESH_TOKEN_REUSED'
  | 'ACCOUNT_DISABLED'
  | 'INSUFFICIENT_STOCK'
  | 'INVALID_TRANSITION'
  | 'TOO_MANY_OPEN_ORDERS'
  | 'NOT_SERVICEABLE'
  | 'PRODUCT_UNAVAILABLE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_USE'
  | 'MALFORMED_REQUEST'
  | 'REQUEST_TIMEOUT'
  | 'HEADERS_TOO_LARGE'
  | 'DATABASE_UNAVAILABLE';

/** A failure of the domain rules, thrown by services in libs and mapped to HTTP at the edge. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra, client-safe fields merged into the error body (e.g. `items`, `available`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`Unmapped error code: ${String(value)}`);
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'MALFORMED_REQUEST':
      return 400;
    case 'UNAUTHORIZED':
    case 'INVALID_CREDENTIALS':
    case 'INVALID_REFRESH_TOKEN':
    case 'REFRESH_TOKEN_REUSED':
    case 'ACCOUNT_DISABLED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'EMAIL_TAKEN':
    case 'INSUFFICIENT_STOCK':
    case 'INVALID_TRANSITION':
    case 'TOO_MANY_OPEN_ORDERS':
    case 'IDEMPOTENCY_KEY_IN_USE':
      return 409;
    case 'NOT_SERVICEABLE':
    case 'PRODUCT_UNAVAILABLE':
    case 'IDEMPOTENCY_KEY_REUSED':
      return 422;
    case 'REQUEST_TIMEOUT':
      return 408;
    case 'RATE_LIMITED':
      return 429;
    case 'HEADERS_TOO_LARGE':
      return 431;
    case 'DATABASE_UNAVAILABLE':
      return 503;
    default:
      return assertUnreachable(code);
  }
}
