import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { APP_CONFIG, loadConfig, type AppConfig } from '#libs/config';
import { createFastifyAdapter } from '#libs/platform';
import { configureApiApp } from '../../apps/api/src/api-app.js';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureWorkerApp } from '../../apps/worker/src/worker-app.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { PrivateRedis } from './redis-server.js';

export interface RunningApp {
  app: NestFastifyApplication;
  config: AppConfig;
  url: string;
  /** Every route the server registered (Fastify's route table: API, pages, docs, queue board). */
  routes: { method: string; url: string }[];
  close(): Promise<void>;
}

/** The run's configuration (database and Redis prefix from global setup) plus overrides. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...process.env, ...overrides });
}

/** Boots the real api app on a random local port, exactly as main.ts configures it. */
export function startApi(overrides: Record<string, string> = {}): Promise<RunningApp> {
  return start(AppModule, configureApiApp, overrides);
}

/** Boots the real worker app in this process (its health port on a random local port). */
export function startWorker(overrides: Record<string, string> = {}): Promise<RunningApp> {
  return start(WorkerModule, configureWorkerApp, overrides);
}

async function start(
  module: Type,
  configure: (app: NestFastifyApplication, config: AppConfig) => Promise<void>,
  overrides: Record<string, string>,
): Promise<RunningApp> {
  const config = testConfig(overrides);
  const moduleRef = await Test.createTestingModule({ imports: [module] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createFastifyAdapter(config),
    {
      bufferLogs: true,
    },
  );
  const routes: RunningApp['routes'] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', ({ method, url }) => {
      for (const m of [method].flat()) routes.push({ method: m, url });
    });
  await configure(app, config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, config, url: `http://127.0.0.1:${address.port}`, routes, close: () => app.close() };
}

/**
 * An api on a private Redis that the suite may stop and start (the shared one is never
 * disturbed). Registers its own beforeAll/afterAll; read `.api` and `.redis` inside tests.
 */
export function apiOnPrivateRedis(overrides: Record<string, string> = {}) {
  const running = {} as { api: RunningApp; redis: PrivateRedis };
  beforeAll(async () => {
    running.redis = await PrivateRedis.start();
    running.api = await startApi({ REDIS_URL: running.redis.url, ...overrides });
  });
  afterAll(async () => {
    await running.api?.close();
    await running.redis?.destroy();
  });
  return running;
}
