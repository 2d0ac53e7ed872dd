import { type INestApplication, Logger } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { AppConfig } from '#libs/config';
import { replyWithError } from '../errors/all-exceptions.filter.js';
import { errorBody } from '../errors/error-body.js';
import { Drain } from '../health/drain.js';
import { Metrics } from '../metrics/metrics.js';
import { answerClientError } from './client-error.js';
import { guardRequestInput } from './input-guard.js';
import { requestIdOf } from './request-id.js';
import { securityHeaders, type ContentSecurityPolicyName } from './security-headers.js';

/**
 * Fastify's error handler answers what fails outside a Nest handler: body parsing (over the
 * limit, malformed JSON, an unknown media type), our hooks (the input guard) and the plain
 * Fastify routes (pages, the payment webhook). Fastify gives each route and plugin the handler
 * of the moment it is added, and Nest installs its own only at init, after the pages and the
 * webhook were mounted: they answered in Fastify's default body (no code, no request id). So
 * ours is installed with the instance, before any route, and Nest's is not put over it (Fastify
 * warns at a second one); Nest's answered through the same filter.
 */
class OneErrorHandlerAdapter extends FastifyAdapter {
  constructor(options: FastifyServerOptions) {
    super(options);
    this.getInstance().setErrorHandler((error, request, reply) => {
      replyWithError(error, request, reply);
    });
  }

  override setErrorHandler(): ReturnType<FastifyAdapter['setErrorHandler']> {
    return this.getInstance();
  }
}

/** The Fastify adapter every FlashCart HTTP server uses (api and the worker's health port). */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new OneErrorHandlerAdapter({
    bodyLimit: config.http.bodyLimit,
    trustProxy: config.http.trustProxy,
    genReqId: requestIdOf,
    requestIdHeader: false,
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    // A path parameter over maxParamLength or with broken %-encoding is bad input (Fastify
    // answered 414 or 400 outside the error shape).
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      void reply
        .code(400)
        .header('x-request-id', request.id)
        .send(
          errorBody(400, [`a path parameter is not valid: ${error.message}`], String(request.id), {
            code: 'VALIDATION_FAILED',
          }),
        );
    },
  });
}

export interface HttpAppOptions {
  /** Matched route (e.g. `/docs`) → the CSP it answers with, when not the strict one. */
  contentSecurityPolicies?: ReadonlyMap<string, ContentSecurityPolicyName>;
}

/** Security headers, CORS and the request-id echo; the same for every process and for tests. */
export async function configureHttpApp(
  app: NestFastifyApplication,
  config: AppConfig,
  options: HttpAppOptions = {},
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // One guard for every route: NUL characters, JSON nesting depth, empty query values.
  fastify.addHook('preValidation', async (request) => guardRequestInput(request));
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    );
  });
  fastify.addHook('onRequest', securityHeaders(options.contentSecurityPolicies));
  app.enableCors({
    origin: config.http.corsOrigins,
    // Every method the API uses: @fastify/cors allows only GET, HEAD and POST unless told
    // (test/platform.e2e-spec.ts preflights each method of openapi.json).
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
}

/**
 * Stops on SIGTERM/SIGINT. With `drainMs` (the api behind a balancer) it first drains: health
 * checks answer 503 at once while requests are still served for `drainMs`, long enough for the
 * balancer to take it out. Then the server stops accepting, in-flight requests finish, module
 * shutdown hooks close PostgreSQL/Redis/queues, and it exits 0. A close that hangs longer than
 * `timeoutMs` is cut off (exit 1).
 */
export function closeOnSignals(app: INestApplication, timeoutMs: number, drainMs = 0): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const close = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    if (drainMs > 0) {
      app.get(Drain).start();
      logger.log(`${signal} received, draining for ${drainMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, drainMs));
    }
    logger.log(drainMs > 0 ? 'drained, shutting down' : `${signal} received, shutting down`);
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${timeoutMs} ms, exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app.close().then(
      () => {
        logger.log('shutdown complete');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', (signal) => void close(signal));
  process.once('SIGINT', (signal) => void close(signal));
}
