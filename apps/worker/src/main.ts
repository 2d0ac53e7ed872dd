import 'reflect-metadata';
import { setSourceMapsSupport } from 'node:module';

// As the api (apps/api/src/main.ts): our own code's source maps only, not node_modules'.
setSourceMapsSupport(true, { nodeModules: false });
const { ConfigError, loadConfig } = await import('#libs/config');
const { closeOnSignals } = await import('#libs/platform');
const { createWorkerApp } = await import('./worker-app.js');

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createWorkerApp(config);
  // No drain: no balancer sends the worker requests (its port serves probes and metrics only).
  closeOnSignals(app, config.http.shutdownTimeoutMs);
  await app.listen(config.worker.healthPort, config.http.host);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : String((err as Error)?.stack ?? err)}\n`,
  );
  process.exit(1);
});
