import 'reflect-metadata';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '#libs/config';
import { closeOnSignals, createFastifyAdapter, Public } from '#libs/platform';
import { configureApiApp } from '../apps/api/src/api-app.js';
import { AppModule } from '../apps/api/src/app.module.js';

/** Constant JSON bodies of a requested size, built once per size. */
const bodies = new Map<number, object>();
function constantOf(bytes: number): object {
  let body = bodies.get(bytes);
  if (!body) {
    body = { items: [{ filler: 'x'.repeat(Math.max(0, bytes - 40)) }], nextCursor: null };
    bodies.set(bytes, body);
  }
  return body;
}

/**
 * The baseline: a route that does no work, on the same Nest + Fastify app and under /v1 like the
 * catalog, so the same hooks and middleware (request logger included) run for both.
 */
@Public()
@ApiExcludeController() // bench-only: not part of the API or its document
@Controller('bench')
class BaselineController {
  @Get('constant')
  constant(@Query('bytes') bytes?: string) {
    return constantOf(Math.min(1_000_000, Number(bytes) || 6000));
  }
}

@Module({ imports: [AppModule], controllers: [BaselineController] })
class BenchApiModule {}

/** The production api plus the bench-only baseline route (never part of the production build). */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestFastifyApplication>(
    BenchApiModule,
    createFastifyAdapter(config),
    {
      bufferLogs: true,
    },
  );
  await configureApiApp(app, config);
  closeOnSignals(app, config.http.shutdownTimeoutMs);
  await app.listen(config.http.port, '127.0.0.1');
}

await main();
