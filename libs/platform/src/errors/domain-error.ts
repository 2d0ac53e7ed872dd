/**
 * Stable, machine-readable error codes and their HTTP statuses. A client branches on these, so
 * never rename one. Platform declares the codes any process may answer with; each lib declares
 * its own in its `*-errors.ts` (interface merging for the type, `registerErrorCodes` for the
 * status), so the code list lives with the domain that raises it.
 */
export interface ErrorCodes {
  VALIDATION_FAILED: 400;
  MALFORMED_REQUEST: 400;
  UNAUTHORIZED: 401;
  FORBIDDEN: 403;
  NOT_FOUND: 404;
  REQUEST_TIMEOUT: 408;
  CONFLICT: 409;
  PAYLOAD_TOO_LARGE: 413;
  UNSUPPORTED_MEDIA_TYPE: 415;
  RATE_LIMITED: 429;
  HEADERS_TOO_LARGE: 431;
  INTERNAL_ERROR: 500;
  DATABASE_UNAVAILABLE: 503;
  SERVICE_UNAVAILABLE: 503;
}

export type ErrorCode = keyof ErrorCodes;

const statuses = new Map<string, number>();

/** Registers a lib's codes with their statuses (once, when the lib is loaded); returns them. */
export function registerErrorCodes<const T extends { [C in ErrorCode]?: ErrorCodes[C] }>(
  codes: T,
): T {
  for (const [code, status] of Object.entries(codes)) {
    const known = statuses.get(code);
    if (known !== undefined && known !== status)
      throw new Error(`Error code ${code} registered with two statuses (${known}, ${status})`);
    statuses.set(code, status as number);
  }
  return codes;
}

/** Every registered code and its status (the OpenAPI document lists them). */
export function registeredErrorCodes(): ReadonlyMap<string, number> {
  return statuses;
}

export const PLATFORM_ERROR_CODES = registerErrorCodes({
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

/** The HTTP status of a code; an unregistered code is a programming error (a 500). */
export function httpStatusOf(code: ErrorCode): number {
  const status = statuses.get(code);
  if (status === undefined) throw new Error(`Unregistered error code: ${code}`);
  return status;
}
