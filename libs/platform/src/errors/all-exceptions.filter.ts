import {
  type ArgumentsHost,
  Catch,
  HttpException,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { databaseFailureAsDomainError } from './database-errors.js';
import { DomainError, httpStatusOf } from './domain-error.js';
import { errorBody, type ErrorBody } from './error-body.js';

/** Errors fastify raises itself (bad JSON, body too large, wrong content type) carry a 4xx statusCode. */
function isClientError(e: unknown): e is Error & { statusCode: number } {
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  return e instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}

/** Maps anything thrown while handling an HTTP request to the one error body shape. */
export function toErrorBody(exception: unknown, requestId: string): ErrorBody {
  if (exception instanceof DomainError) {
    return errorBody(httpStatusOf(exception.code), exception.message, requestId, {
      code: exception.code,
      ...exception.details,
    });
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'string') return errorBody(status, response, requestId);
    const { message, statusCode: _s, error: _e, ...extra } = response as Record<string, unknown>;
    const text =
      typeof message === 'string' || Array.isArray(message)
        ? (message as string | string[])
        : exception.message;
    return errorBody(status, text, requestId, extra);
  }
  if (isClientError(exception)) {
    return errorBody(exception.statusCode, exception.message, requestId);
  }
  const databaseFailure = databaseFailureAsDomainError(exception);
  if (databaseFailure) return toErrorBody(databaseFailure, requestId);
  return errorBody(500, 'Internal server error', requestId);
}

const logger = new Logger('HTTP');

/**
 * Answers an HTTP request that failed, in the one error body shape: for the filter below (Nest's
 * handlers) and for Fastify's error handler (what fails outside them: body parsing, our hooks,
 * the plain Fastify routes; libs/platform's http-app).
 */
export function replyWithError(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const body = toErrorBody(exception, String(request.id));
  if (body.statusCode === 503) {
    // Unavailable (a dependency down, shutting down): expected during outages, the client
    // retries, and the health probe answers it every few seconds; not an error of ours.
    logger.warn({ err: exception, requestId: request.id }, 'service unavailable');
  } else if (body.statusCode >= 500) {
    logger.error({ err: exception, requestId: request.id }, 'unhandled error');
  }
  if (body.statusCode === 429 && typeof body.retryAfter === 'number') {
    void reply.header('retry-after', String(body.retryAfter));
  }
  // A handler may have set another content type (e.g. text/plain for /metrics) before failing.
  void reply
    .status(body.statusCode)
    .header('content-type', 'application/json; charset=utf-8')
    .send(body);
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      // Socket handlers answer through acknowledgements; an escaped error is a bug worth a log.
      logger.error({ err: exception }, `unhandled ${host.getType()} error`);
      return;
    }
    const http = host.switchToHttp();
    replyWithError(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
