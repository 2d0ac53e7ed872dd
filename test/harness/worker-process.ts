import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The built worker (`dist/`) as a real child process, for kill and shutdown tests. */
export class WorkerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  ) {}

  static async start(env: Record<string, string>): Promise<WorkerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/apps/worker/src/main.js'], {
      env: { ...process.env, ...env, WORKER_HEALTH_PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
    const worker = new WorkerProcess(child, port, exited as WorkerProcess['exited']);
    for (let i = 0; i < 150; i++) {
      if (child.exitCode !== null)
        throw new Error(`worker exited with ${child.exitCode} (is dist/ built?)`);
      const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return worker;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error('worker did not become ready');
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}
