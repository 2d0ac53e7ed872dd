import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { cpuBetween, cpuSnapshot, mergeSnapshots, type CpuShare } from './cpu.js';

/** The load generators: closed loop (autocannon), open loop, and how to combine their results. */

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  statuses: Record<string, number>;
}

/** Runs autocannon against one route; `body(connection)` builds each request (fresh keys etc.). */
export async function load(options: {
  url: string;
  path: string;
  method?: 'GET' | 'POST';
  connections: number;
  seconds: number;
  headers?: (connection: number) => Record<string, string>;
  body?: (connection: number) => unknown;
}): Promise<LoadResult> {
  let nextConnection = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: options.method ?? 'GET',
        path: options.path,
        setupRequest: (request: any, context: any) => {
          context.connection ??= nextConnection++;
          const body = options.body?.(context.connection);
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              ...options.headers?.(context.connection),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          };
        },
      },
    ],
  } as autocannon.Options);
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries((result as any).statusCodeStats ?? {}))
    statuses[code] = (stat as any).count;
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    statuses,
  };
}

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export function newKey(): string {
  return randomUUID();
}

/**
 * Open-loop load: request i is due at start + i / rate, whatever happened to the others, and its
 * latency counts from that due time (no coordinated omission: a stall delays every request due
 * during it, and each of them says so).
 */
export async function openLoop(options: {
  rate: number;
  seconds: number;
  /** Sends request i; its answer's status (an HTTP status, or any name). */
  send: (i: number) => Promise<number | string>;
}): Promise<LoadResult & { max: number }> {
  const total = Math.round(options.rate * options.seconds);
  const start = performance.now() + 50;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      options.send(i).then((status) => {
        latencies.push(performance.now() - due);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(inFlight);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    rps: Math.round(total / options.seconds),
    p50: Math.round(percentile(sorted, 50)),
    p99: Math.round(percentile(sorted, 99)),
    max: Math.round(sorted.at(-1) ?? 0),
    requests: total,
    statuses,
  };
}

/** A JSON POST sender for `openLoop` on one keep-alive agent (`close` when done). */
export function httpPoster(options: {
  url: string;
  path: string;
  headers: (i: number) => Record<string, string>;
  body: (i: number) => unknown;
}): { send: (i: number) => Promise<number>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const target = new URL(options.path, options.url);
  const send = (i: number) =>
    new Promise<number>((resolve) => {
      const payload = JSON.stringify(options.body(i));
      const request = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...options.headers(i),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', () => resolve(0));
      request.end(payload);
    });
  return { send, close: () => agent.destroy() };
}

/** Two halves of one measurement: mean throughput and p50, the worse p99. */
export function combine(halves: LoadResult[]): LoadResult {
  const mean = (pick: (r: LoadResult) => number) =>
    Math.round(halves.reduce((sum, r) => sum + pick(r), 0) / halves.length);
  return {
    rps: mean((r) => r.rps),
    p50: mean((r) => r.p50),
    p99: Math.max(...halves.map((r) => r.p99)),
    requests: halves.reduce((sum, r) => sum + r.requests, 0),
    statuses: addStatuses(halves),
  };
}

/** Loads run side by side (one per api instance): throughput adds up, the worse p99 counts. */
export function together(parts: LoadResult[]): LoadResult {
  const requests = parts.reduce((sum, r) => sum + r.requests, 0);
  return {
    rps: parts.reduce((sum, r) => sum + r.rps, 0),
    p50: Math.round(parts.reduce((sum, r) => sum + r.p50 * r.requests, 0) / Math.max(1, requests)),
    p99: Math.max(...parts.map((r) => r.p99)),
    requests,
    statuses: addStatuses(parts),
  };
}

function addStatuses(results: LoadResult[]): Record<string, number> {
  const statuses: Record<string, number> = {};
  for (const r of results)
    for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  return statuses;
}

/**
 * The machine's CPU by process while `work` runs (bench/cpu.ts), the load generator's own among
 * them: it shares the machine with what it measures, so a scenario where it is near 100%
 * measures the generator too.
 */
export async function measuringCpu<T>(
  work: () => Promise<T>,
): Promise<{ value: T; cpu: CpuShare }> {
  const before = cpuSnapshot();
  // Counting only the bench database's backends (BENCH_PG_DATABASE_ONLY), one that ends is seen
  // last by these samples (the postmaster's children's time is not counted then).
  let seen = before;
  const sampling =
    process.env.BENCH_PG_DATABASE_ONLY === '1'
      ? setInterval(() => (seen = mergeSnapshots(seen, cpuSnapshot())), 100)
      : undefined;
  const value = await work();
  // A PostgreSQL backend whose client just disconnected is still exiting: once the postmaster
  // has reaped it, its CPU is in the postmaster's children's time.
  await new Promise((resolve) => setTimeout(resolve, 300));
  clearInterval(sampling);
  return { value, cpu: cpuBetween(before, mergeSnapshots(seen, cpuSnapshot())) };
}
