import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '#libs/config';
import { configureHttpApp, createFastifyAdapter } from '#libs/platform';
import { WorkerModule } from './worker.module.js';

/** Everything main.ts and the e2e harness do alike to a worker app before it listens. */
export async function configureWorkerApp(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<void> {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  await configureHttpApp(app, config);
}

/** The worker process; its HTTP server only answers health probes and metrics. */
export async function createWorkerApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule,
    createFastifyAdapter(config),
    { bufferLogs: true },
  );
  await configureWorkerApp(app, config);
  return app;
}
