import type { CpuShare } from '../cpu.js';
import { combine, load, measuringCpu, type LoadResult } from '../load.js';
import { BenchStack } from '../stack.js';
import { progress, type ScenarioContext } from './context.js';

const fmt = (r: LoadResult) => `${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`;

/**
 * Cached catalog reads against a bare route of the same size on the same app (same hooks,
 * middleware, guards and pipes), 50 connections, taking turns twice so that machine noise hits
 * both alike; then the memory of the api that served them.
 */
export async function catalog(ctx: ScenarioContext): Promise<void> {
  progress('catalog read');
  const { url, process: api } = ctx.apiA;
  const { store, others } = ctx.data;
  const rssIdle = BenchStack.rssMb(api.pid!);
  const listPath = `/v1/products?storeId=${store.id}&limit=20`;
  const pageBytes = (await (await fetch(`${url}${listPath}`)).text()).length;
  const read = (path: string, seconds: number) => load({ url, path, connections: 50, seconds });
  const paths = {
    baseline: `/v1/bench/constant?bytes=${pageBytes}`,
    list: listPath,
    one: `/v1/products/${others[5]!.id}?storeId=${store.id}`,
  };
  await read(paths.baseline, 3); // warm-up of the whole pipeline, not counted
  const runs: Record<keyof typeof paths, LoadResult[]> = { baseline: [], list: [], one: [] };
  const cpu: Partial<Record<keyof typeof paths, CpuShare>> = {};
  /** The api's CPU per request (µs) over both rounds: what a route costs, whatever the rate. */
  const apiMs = { baseline: 0, list: 0, one: 0 };
  for (let round = 0; round < 2; round++) {
    for (const name of Object.keys(paths) as (keyof typeof paths)[]) {
      const run = await measuringCpu(() => read(paths[name], ctx.seconds / 2));
      runs[name].push(run.value);
      cpu[name] = run.cpu; // the second round's
      apiMs[name] += run.cpu.api * (ctx.seconds / 2) * 10;
    }
  }
  const [baseline, list, one] = [runs.baseline, runs.list, runs.one].map(combine) as [
    LoadResult,
    LoadResult,
    LoadResult,
  ];
  const rssAfter = BenchStack.rssMb(api.pid!);
  const usPerRequest = (name: keyof typeof paths, r: LoadResult) =>
    Math.round((apiMs[name] * 1000) / Math.max(1, r.requests));
  const perRequest = {
    baseline: usPerRequest('baseline', baseline),
    list: usPerRequest('list', list),
    one: usPerRequest('one', one),
  };
  ctx.raw.catalog = {
    pageBytes,
    baseline,
    list,
    one,
    rssIdle,
    rssAfter,
    apiUsPerRequest: perRequest,
  };
  for (const [name, r, share, usage, key] of [
    ['catalog list, 20 products (cached), 50 connections, 1 api', list, 0.85, cpu.list, 'list'],
    ['product by id (cached), 50 connections, 1 api', one, 0.85, cpu.one, 'one'],
  ] as const) {
    const ratio = r.rps / baseline.rps;
    ctx.rows.push({
      scenario: name,
      result: `${fmt(r)}; api CPU ${perRequest[key]} µs per request`,
      baseline: `bare route: ${fmt(baseline)}; api CPU ${perRequest.baseline} µs per request`,
      ratio: `${(ratio * 100).toFixed(0)}%`,
      target: `>= ${share * 100}% of the bare route, p99 < 25 ms`,
      met: ratio >= share && r.p99 < 25,
      cpu: usage ?? null,
    });
  }
  ctx.rows.push({
    scenario: 'api RSS, idle → after the catalog reads',
    result: `${rssIdle} MB → ${rssAfter} MB`,
    baseline: '-',
    ratio: '-',
    target: '<= 200 MB after the reads',
    met: rssAfter <= 200,
    cpu: null,
  });
}
