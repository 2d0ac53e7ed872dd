import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './app-process.js';

/**
 * HAProxy with the shipped configuration (docker/haproxy.cfg) in front of api instances on
 * 127.0.0.1, as a child process: `scripts/balancer.sh run PORT API_PORT...`.
 */
export class Balancer {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly output: string[],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Ready when a request through it reaches an api's /health/ready. */
  static async start(apiPorts: number[]): Promise<Balancer> {
    const port = await freePort();
    const child = spawn('scripts/balancer.sh', ['run', String(port), ...apiPorts.map(String)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const output: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const balancer = new Balancer(child, port, output);
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null)
        throw new Error(`balancer exited with ${child.exitCode}: ${output.join('')}`);
      const ok = await fetch(`${balancer.url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return balancer;
      await new Promise((r) => setTimeout(r, 100));
    }
    await balancer.stop();
    throw new Error(`balancer did not become ready: ${output.join('')}`);
  }

  /** What HAProxy wrote on stderr (servers going down or up, warnings). */
  get log(): string {
    return this.output.join('');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
