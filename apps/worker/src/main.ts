import 'reflect-metadata';
import { ConfigError, loadConfig } from '#libs/config';
import { closeOnSignals } from '#libs/platform';
import { createWorkerApp } from './worker-app.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createWorkerApp(config);
  closeOnSignals(app, config.http.shutdownTimeoutMs);
  await app.listen(config.worker.healthPort, config.http.host);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : String((err as Error)?.stack ?? err)}\n`,
  );
  process.exit(1);
});
