import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '#libs/config';

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
  return SwaggerModule.createDocument(app, options);
}
