import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '#libs/config';
import { ErrorBodyDto } from './api-errors.decorator.js';

export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const options = new DocumentBuilder()
    .setTitle('FlashCart API')
    .setDescription(
      'Quick-commerce backend: catalog, dark-store inventory, orders and live tracking. ' +
        'Every error has the body `{ statusCode, error, code?, message, requestId }`. ' +
        'Live order tracking (socket.io, namespace `/tracking`): see the [tracking protocol](/docs/tracking).',
    )
    .setVersion(config.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, options, { extraModels: [ErrorBodyDto] });
  // What every route can answer before its handler runs: 400 from the global input guard (NUL
  // characters, JSON nesting; libs/platform input-guard.ts) and 431 from Node's parser (request
  // line or headers over 16 KB; client-error.ts), both in the error shape.
  const everywhere = {
    '400': 'Bad Request (NUL characters, JSON nested too deep, malformed input)',
    '431': 'Request Header Fields Too Large (a request line or headers over 16 KB)',
  };
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as { responses?: Record<string, unknown> }[]) {
      operation.responses ??= {};
      for (const [status, description] of Object.entries(everywhere)) {
        operation.responses[status] ??= {
          description,
          content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodyDto) } } },
        };
      }
    }
  }
  return document;
}
