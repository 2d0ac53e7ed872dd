import 'reflect-metadata';
import { setSourceMapsSupport } from 'node:module';

// Stack traces name the TypeScript lines of our own code. node_modules' source maps stay unread:
// with them (`--enable-source-maps` alone) the api held about 12 MB more heap. Only modules
// loaded after this call are mapped, hence the dynamic imports below.
setSourceMapsSupport(true, { nodeModules: false });
const { ConfigError, loadConfig } = await import('#libs/config');
const { closeOnSignals } = await import('#libs/platform');
const { createApiApp } = await import('./api-app.js');

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  // Behind a load balancer: fail its check and serve on until it stops sending (SHUTDOWN_DRAIN_MS).
  closeOnSignals(app, config.http.shutdownTimeoutMs, config.http.shutdownDrainMs);
  await app.listen(config.http.port, config.http.host);
}

main().catch((err: unknown) => {
  // One line that names what is wrong; the logger may not exist yet.
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : String((err as Error)?.stack ?? err)}\n`,
  );
  process.exit(1);
});
