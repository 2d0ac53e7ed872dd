import 'reflect-metadata';
import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '#libs/config';
import { createFastifyAdapter } from '#libs/platform';
import { AppModule } from './app.module.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';

/**
 * `make openapi`: writes openapi.json from the code alone. Preview mode wires the modules
 * without instantiating providers, so no database or Redis is needed.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule, createFastifyAdapter(config), {
    preview: true,
    logger: false,
  });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  const document = buildOpenApiDocument(app, config);
  writeFileSync(process.argv[2] ?? 'openapi.json', `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
}

await main();
