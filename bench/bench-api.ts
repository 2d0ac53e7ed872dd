import 'reflect-metadata';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import pg from 'pg';
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
 * BENCH_COUNT_QUERIES=1: every statement this process sends to PostgreSQL is counted, by its
 * name (a prepared statement's) or its first words, and `GET /v1/bench/queries` answers the counts
 * since the last `?reset=1`: the round trips one operation costs, whatever the machine's speed.
 */
const queries = new Map<string, number>();
if (process.env.BENCH_COUNT_QUERIES === '1') {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [first] = args as [string | { name?: string; text?: string }];
    const text = typeof first === 'string' ? first : (first.name ?? first.text ?? '?');
    const kind = text.replace(/\s+/g, ' ').trim().slice(0, 80);
    queries.set(kind, (queries.get(kind) ?? 0) + 1);
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
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

  @Get('queries')
  queries(@Query('reset') reset?: string) {
    const counts = Object.fromEntries([...queries].sort((a, b) => b[1] - a[1]));
    if (reset) queries.clear();
    return counts;
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
