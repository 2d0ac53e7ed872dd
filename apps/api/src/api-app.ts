import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '#libs/config';
import {
  configureHttpApp,
  createFastifyAdapter,
  type ContentSecurityPolicyName,
} from '#libs/platform';
import { AppModule } from './app.module.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { mountPages } from './pages/pages.js';
import { mountPaymentWebhooks } from './payments/payment-webhook-route.js';
import { mountQueueBoard, QUEUE_BOARD_ROUTES } from './queue-board/queue-board.js';
import { RedisIoAdapter } from './tracking/redis-io.adapter.js';

/** Swagger UI's page: SwaggerModule's routes for it (its scripts and styles are other routes). */
const SWAGGER_UI_PAGES = ['/docs', '/docs/', '/docs/index.html'];

/** The routes whose pages need more than the strict CSP (why: libs/platform's security-headers). */
const RELAXED_CSP = new Map<string, ContentSecurityPolicyName>(
  [...SWAGGER_UI_PAGES, ...QUEUE_BOARD_ROUTES].map((route) => [route, 'inlineStyles']),
);

/** Everything main.ts and the e2e harness do alike to an api app before it listens. */
export async function configureApiApp(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<void> {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  await configureHttpApp(app, config, { contentSecurityPolicies: RELAXED_CSP });
  app.useWebSocketAdapter(new RedisIoAdapter(app, config));
  await mountQueueBoard(app);
  await mountPages(app);
  await mountPaymentWebhooks(app);
  // Routes are /v1/...; health and docs are unversioned.
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  // Off in production unless DOCS_ENABLED=true: the document maps every admin route.
  // A factory: the document is built on the first request for /docs-json or the Swagger UI's
  // script, not at start-up (building it leaves megabytes of garbage in a fresh process, and
  // most instances are never asked). `make openapi` and the platform e2e test build it too.
  if (config.docs.enabled)
    SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, config), {
      jsonDocumentUrl: 'docs-json',
      customSiteTitle: 'FlashCart API',
    });
}

export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createFastifyAdapter(config),
    { bufferLogs: true },
  );
  await configureApiApp(app, config);
  return app;
}
