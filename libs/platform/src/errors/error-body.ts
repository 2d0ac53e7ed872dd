import { STATUS_CODES } from 'node:http';

/** The one shape of every error FlashCart returns. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code?: string;
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
    ...extra,
    message,
    requestId,
  };
}
