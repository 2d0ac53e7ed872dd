import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One PING over a plain socket (an ioredis client that failed to connect keeps a 2 s timer). */
/** Sends one inline command on a plain socket; true once the reply contains `expect`. */
function command(port: number, line: string, expect: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (data) => {
      reply += data.toString();
      if (reply.includes(expect)) done(true);
    });
  });
}

/**
 * Whether the server on `port` is the process `pid`: a free port can be taken by another suite's
 * server before ours binds it (ours then exits), and that one answers PING too. A suite whose api
 * talked to another suite's Redis failed with "Connection is closed" when that one stopped it.
 */
const answersAs = (port: number, pid: number) =>
  command(port, 'INFO server', `process_id:${pid}\r\n`);

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The redis-server program: REDIS_SERVER_BIN, else `redis-server` on PATH, else Debian's
 * `redis-check-rdb` (redis-tools ships the server under that name; the redis-server package only
 * adds a symlink and a system service). It is started with argv[0] "redis-server", which is what
 * makes that binary the server. `make test` installs redis-tools when root (scripts/services.sh).
 */
export function redisServerProgram(): string {
  const program =
    process.env.REDIS_SERVER_BIN || onPath('redis-server') || onPath('redis-check-rdb');
  if (!program) {
    throw new Error(
      'PrivateRedis: no redis-server program found (looked at REDIS_SERVER_BIN, then redis-server ' +
        'and redis-check-rdb on PATH). `make test` installs one when run as root; otherwise run ' +
        '`sudo apt-get install -y redis-tools` or set REDIS_SERVER_BIN.',
    );
  }
  return program;
}

/**
 * A private, throwaway redis-server for failure tests (stop it, start it) so that the shared
 * Redis other suites use is never disturbed. It saves nothing by itself: a start is empty unless
 * it was stopped with `keepData` (a snapshot in its own temporary directory).
 */
export class PrivateRedis {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'flashcart-redis-'));

  private constructor(readonly port: number) {}

  /** A running private Redis on a free port. Throws a clear error when none can be started. */
  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again) on the same port; resolves once it answers PING. */
  async start(): Promise<void> {
    if (this.running) return;
    const program = redisServerProgram();
    const child = spawn(
      program,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore', argv0: 'redis-server' },
    );
    this.process = child;
    let failure: Error | undefined;
    child.once('error', (err) => (failure = err));
    for (let attempt = 0; attempt < 100; attempt++) {
      if (failure) throw new Error(`PrivateRedis: could not run ${program}: ${failure.message}`);
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `PrivateRedis: ${program} exited (${child.exitCode ?? child.signalCode}) before answering on port ${this.port}`,
        );
      }
      if (child.pid !== undefined && (await answersAs(this.port, child.pid))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.stop();
    throw new Error(`PrivateRedis: redis-server did not answer on port ${this.port} within 5 s`);
  }

  /**
   * Kills it: what an outage looks like to clients. With `keepData` it first writes a snapshot
   * that the next start loads (a restart with its data); otherwise the next start is empty.
   * Safe to call twice.
   */
  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
      return;
    if (options.keepData) {
      if (!(await command(this.port, 'SAVE', '+OK', 10_000)))
        throw new Error('PrivateRedis: SAVE failed');
    } else {
      rmSync(join(this.dir, 'dump.rdb'), { force: true });
    }
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Stops it for good and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Answers no client for `ms` (CLIENT PAUSE): a Redis too busy to answer, still connected. */
  async pause(ms: number): Promise<void> {
    if (!(await command(this.port, `CLIENT PAUSE ${ms} ALL`, '+OK')))
      throw new Error('PrivateRedis: CLIENT PAUSE failed');
  }

  /** Stop, then start empty on the same port (nothing is persisted): Redis lost its data. */
  async restartEmpty(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private get running(): boolean {
    const child = this.process;
    return !!child && child.pid !== undefined && child.exitCode === null && !child.signalCode;
  }
}
