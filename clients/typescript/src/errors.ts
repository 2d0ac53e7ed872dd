import type { components } from './generated/openapi.js';

type Schemas = components['schemas'];
type ErrorBodySchema = Schemas['ErrorBody'];

/** Every `code` the API documents (from openapi.json), plus one for a body that is not ours. */
export type ErrorCode = ErrorBodySchema['code'] | 'UNEXPECTED_RESPONSE';

/** The extra fields some codes carry (documented on ErrorBody in openapi.json). */
export interface ErrorDetails {
  /** `items` when placing an order; `available` when removing stock. */
  INSUFFICIENT_STOCK: { items?: Schemas['StockShortage'][]; available?: number };
  PRODUCT_UNAVAILABLE: { productIds: string[] };
  INVALID_TRANSITION: { currentStatus: Schemas['OrderDto']['status'] };
  ORDER_NOT_DELIVERED: { currentStatus: Schemas['OrderDto']['status'] };
  /** The most saved addresses a customer may have. */
  ADDRESS_BOOK_FULL: { max: number };
  /** Seconds; also sent as the Retry-After header. */
  RATE_LIMITED: { retryAfter: number };
}

type DetailKeys = 'items' | 'available' | 'productIds' | 'currentStatus' | 'retryAfter' | 'max';
type CommonFields = Omit<ErrorBodySchema, 'code' | DetailKeys>;

/** The one error body, as a union discriminated on `code`: narrow on it to read the details. */
export type ApiErrorBody = {
  [C in ErrorCode]: CommonFields & { code: C } & (C extends keyof ErrorDetails
      ? ErrorDetails[C]
      : unknown);
}[ErrorCode];

/** An error response of the API (status ≥ 400), with its body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(
      `${status} ${body.code}: ${Array.isArray(body.message) ? body.message.join('; ') : body.message}`,
    );
  }

  get code(): ErrorCode {
    return this.body.code;
  }

  /** `ApiError.is(e, 'INSUFFICIENT_STOCK') && e.body.items` */
  static is<C extends ErrorCode>(
    error: unknown,
    code?: C,
  ): error is ApiError & { body: Extract<ApiErrorBody, { code: C }> } {
    return error instanceof ApiError && (code === undefined || error.body.code === code);
  }

  /** From a response: its body when it has the error shape, else a stand-in naming the status. */
  static from(response: Response, body: unknown): ApiError {
    const shaped =
      typeof body === 'object' &&
      body !== null &&
      typeof (body as { code?: unknown }).code === 'string' &&
      typeof (body as { statusCode?: unknown }).statusCode === 'number';
    return new ApiError(
      response.status,
      shaped
        ? (body as ApiErrorBody)
        : ({
            statusCode: response.status,
            error: response.statusText,
            code: 'UNEXPECTED_RESPONSE',
            message: typeof body === 'string' ? body.slice(0, 500) : 'Unexpected response',
            requestId: response.headers.get('x-request-id') ?? '',
          } as ApiErrorBody),
    );
  }
}

/** The request never got an answer (connection refused or reset, DNS, offline). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(override readonly cause: unknown) {
    super(`Network error: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Why a session ended: the server's refusal code, or no refresh token to try. */
export type SessionExpiredReason =
  'REFRESH_TOKEN_REUSED' | 'INVALID_REFRESH_TOKEN' | 'ACCOUNT_DISABLED' | 'NO_REFRESH_TOKEN';

/**
 * The session is over: sign in again. Raised when a refresh is refused, including when the
 * server saw a spent refresh token again (reuse detection revoked the whole session). The token
 * store has been cleared.
 */
export class SessionExpiredError extends Error {
  override readonly name = 'SessionExpiredError';
  constructor(
    readonly reason: SessionExpiredReason,
    override readonly cause?: ApiError,
  ) {
    super(
      reason === 'REFRESH_TOKEN_REUSED'
        ? 'Session expired: the refresh token was used twice, so the server revoked the session; sign in again'
        : `Session expired (${reason}); sign in again`,
    );
  }
}
