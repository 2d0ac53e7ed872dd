import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '#libs/config';
import { dataSourceOptions } from '#libs/database';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A fresh bench database and Redis prefix, and api processes built for production. */
export class BenchStack {
  readonly database = `flashcart_bench_${Date.now().toString(36)}`;
  readonly prefix = `fcbench_${Date.now().toString(36)}`;
  readonly serverUrl = withDatabase(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    'postgres',
  );
  readonly databaseUrl = withDatabase(this.serverUrl, this.database);
  readonly redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  private readonly apps: ChildProcess[] = [];

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(process.env as Record<string, string>),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.prefix,
      JWT_ACCESS_SECRET: 'bench-access-secret-0123456789abcdefghijklmnop',
      JWT_REFRESH_SECRET: 'bench-refresh-secret-0123456789abcdefghijklmnop',
      METRICS_TOKEN: 'bench-metrics-token-0123456789abcdef',
      // Production takes real payment settings; the bench places cash orders and calls no provider.
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_bench0123456789abcdef',
      STRIPE_WEBHOOK_SECRET: 'whsec_bench0123456789abcdefghij',
      AUTH_RATE_LIMIT_IP: '10000000',
      AUTH_RATE_LIMIT_ACCOUNT: '10000000',
      MAX_OPEN_ORDERS_PER_CUSTOMER: '1000000',
      // Thousands of subscribers from one address (and a few users each): not what is measured.
      TRACKING_MAX_SOCKETS_PER_IP: '10000000',
      TRACKING_MAX_SOCKETS_PER_USER: '10000000',
      ...extra,
    };
  }

  async createDatabase(): Promise<void> {
    const client = new pg.Client({ connectionString: this.serverUrl });
    await client.connect();
    await client.query(`CREATE DATABASE "${this.database}"`);
    await client.end();
    const ds = new DataSource(
      dataSourceOptions(loadConfig({ ...process.env, DATABASE_URL: this.databaseUrl })),
    );
    await ds.initialize();
    await ds.runMigrations();
    await ds.destroy();
  }

  /** Starts an api process (production build + the bench baseline route) and waits for ready. */
  async startApi(port: number, extra: Record<string, string> = {}): Promise<ChildProcess> {
    // BENCH_CPU_PROF=1 writes a V8 CPU profile of each api to bench/results/profiles.
    const profile =
      process.env.BENCH_CPU_PROF === '1'
        ? ['--cpu-prof', '--cpu-prof-dir=bench/results/profiles']
        : [];
    const child = spawn('scripts/start-api.sh', [...profile, 'dist-bench/bench/bench-api.js'], {
      env: this.env({ PORT: String(port), ...extra }),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.apps.push(child);
    // 60 s: on a machine busy with other work, the api's start has taken over 20.
    for (let i = 0; i < 600; i++) {
      if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}`);
      if (
        await fetch(`http://127.0.0.1:${port}/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return child;
      await sleep(100);
    }
    throw new Error('api did not become ready');
  }

  /**
   * HAProxy in front of the given api ports (scripts/balancer.sh, the configuration that ships
   * in docker-compose.yml), ready when a request through it reaches an api.
   */
  async startBalancer(port: number, backends: number[]): Promise<ChildProcess> {
    const child = spawn('scripts/balancer.sh', ['run', String(port), ...backends.map(String)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.apps.push(child);
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`balancer exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return child;
      await sleep(100);
    }
    throw new Error('balancer did not become ready');
  }

  /** Resident set size of a process, MB. */
  static rssMb(pid: number): number {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
  }

  async teardown(): Promise<void> {
    for (const app of this.apps) {
      if (app.exitCode === null) {
        app.kill('SIGTERM');
        await once(app, 'exit');
      }
    }
    const client = new pg.Client({ connectionString: this.serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`);
    await client.end();
    const redis = new Redis(this.redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
}
