import { STATUS_CODES } from 'node:http';
import type { ErrorCode } from './domain-error.js';

/** The one shape of every error FlashCart returns. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string | string[];
  requestId: string;
  [extra: string]: unknown;
}

export function errorBody(
  statusCode: number,
  message: string | string[],
  requestId: string,
  extra: Record<string, unknown> = {},
): ErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    code: defaultCode(statusCode),
    ...extra,
    message,
    requestId,
  };
}

/** Errors raised outside the domain (a bad route, a framework pipe) still carry a code. */
const DEFAULT_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  503: 'SERVICE_UNAVAILABLE',
};

function defaultCode(status: number): ErrorCode {
  return DEFAULT_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED');
}
