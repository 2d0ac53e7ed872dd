import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { APP_CONFIG, loadConfig, type AppConfig } from '#libs/config';
import { createFastifyAdapter } from '#libs/platform';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApiApp } from '../../apps/api/src/api-app.js';

export interface RunningApp {
  app: NestFastifyApplication;
  config: AppConfig;
  url: string;
  close(): Promise<void>;
}

/** The run's configuration (database and Redis prefix from global setup) plus overrides. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...process.env, ...overrides });
}

/** Boots the real api app on a random local port, exactly as main.ts configures it. */
export async function startApi(overrides: Record<string, string> = {}): Promise<RunningApp> {
  const config = testConfig(overrides);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createFastifyAdapter(config),
    {
      bufferLogs: true,
    },
  );
  await configureApiApp(app, config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, config, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
