import 'reflect-metadata';
import { ConfigError, loadConfig } from '#libs/config';
import { closeOnSignals } from '#libs/platform';
import { createApiApp } from './api-app.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  closeOnSignals(app, config.http.shutdownTimeoutMs);
  await app.listen(config.http.port, config.http.host);
}

main().catch((err: unknown) => {
  // One line that names what is wrong; the logger may not exist yet.
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : String((err as Error)?.stack ?? err)}\n`,
  );
  process.exit(1);
});
