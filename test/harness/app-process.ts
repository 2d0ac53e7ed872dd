import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const ENTRY = {
  api: { main: 'dist/apps/api/src/main.js', portVariable: 'PORT' },
  worker: { main: 'dist/apps/worker/src/main.js', portVariable: 'WORKER_HEALTH_PORT' },
} as const;

/** The built api or worker (`dist/`) as a real child process, for kill and shutdown tests. */
export class AppProcess {
  /** What it wrote to stderr so far (also passed on to the test's stderr). */
  stderr = '';

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(app: keyof typeof ENTRY, env: Record<string, string>): Promise<AppProcess> {
    const port = await freePort();
    const { main, portVariable } = ENTRY[app];
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...env, [portVariable]: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // 'close': after the exit, once stderr has been read to its end.
    const exited = once(child, 'close').then(([code, signal]) => ({ code, signal }));
    const started = new AppProcess(child, port, exited as AppProcess['exited']);
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      started.stderr += text;
      process.stderr.write(text);
    });
    // A minute: a loaded machine (shared CI, several suites at once) took 19 s to boot the api.
    for (let i = 0; i < 600; i++) {
      if (child.exitCode !== null)
        throw new Error(`${app} exited with ${child.exitCode} (is dist/ built?)`);
      const ok = await fetch(`${started.url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return started;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`${app} did not become ready`);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}
