/** The HTTP statuses an error code may have. */
export type ErrorStatus =
  400 | 401 | 403 | 404 | 408 | 409 | 413 | 415 | 422 | 429 | 431 | 500 | 503;

/**
 * Stable, machine-readable error codes and their HTTP statuses. A client branches on these, so
 * never rename one. Each code is declared once, by the lib that raises it, in its `*-errors.ts`:
 * `defineErrors(owner, { CODE: status })` registers the statuses (and the owner, which the
 * OpenAPI document checks routes against), and one line merges the same object's type here:
 * `interface ErrorCodes extends Codes<typeof X_ERRORS> {}`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ErrorCodes extends Codes<typeof PLATFORM_ERRORS> {}

export type ErrorCode = keyof ErrorCodes;

/** The type of a `defineErrors` result, for `interface ErrorCodes extends Codes<…>`. */
export type Codes<T extends Record<string, ErrorStatus>> = T;

const statuses = new Map<string, number>();
const owners = new Map<string, string>();

/**
 * Declares and registers the error codes a lib raises (once, when the lib is loaded); returns
 * them, typed, for the lib's `ErrorCodes` merge. A code has one owner and one status.
 */
export function defineErrors<const T extends Record<string, ErrorStatus>>(
  owner: string,
  codes: T,
): T {
  for (const [code, status] of Object.entries(codes)) {
    const known = owners.get(code);
    if (known !== undefined && known !== owner)
      throw new Error(`Error code ${code} declared by two libs (${known}, ${owner})`);
    statuses.set(code, status);
    owners.set(code, owner);
  }
  return codes;
}

/** Every registered code and its status (the OpenAPI document lists them). */
export function registeredErrorCodes(): ReadonlyMap<string, number> {
  return statuses;
}

/** The lib that declared each registered code (`platform`, `orders`, …). */
export function errorCodeOwners(): ReadonlyMap<string, string> {
  return owners;
}

/** The codes any process may answer with, whatever the domain. */
export const PLATFORM_ERRORS = defineErrors('platform', {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
  DATABASE_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
});

/**
 * A refusal as plain data: what pure decision functions return (they need not load this lib),
 * and their service throws as a DomainError (`DomainError.of`).
 */
export interface Refusal {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** A failure of the domain rules, thrown by services in libs and mapped to HTTP at the edge. */
export class DomainError extends Error {
  static of(refusal: Refusal): DomainError {
    return new DomainError(refusal.code, refusal.message, refusal.details);
  }

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

/** The HTTP status of a code; an unregistered code is a programming error (a 500). */
export function httpStatusOf(code: ErrorCode): number {
  const status = statuses.get(code);
  if (status === undefined) throw new Error(`Unregistered error code: ${code}`);
  return status;
}
