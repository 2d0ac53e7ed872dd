import { createFixtures } from './fixtures.js';
import { countPostgresOf } from './cpu.js';
import { machine, publish, type Row } from './report.js';
import { catalog } from './scenarios/catalog.js';
import { checkout } from './scenarios/checkout.js';
import type { ScenarioContext } from './scenarios/context.js';
import { placement } from './scenarios/placement.js';
import { tracking } from './scenarios/tracking.js';
import { BenchStack } from './stack.js';

/**
 * `make bench`: FlashCart against baselines measured in the same run on the same machine, every
 * row with its target (docs/benchmarks.md). Everything targets 127.0.0.1; every scenario is
 * bounded in time.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/**
 * BENCH_ONLY=catalog,placement,checkout,tracking runs a subset (e.g. while profiling; it writes
 * neither latest.json nor the docs), BENCH_PLACEMENT=quick only the baseline, one api and the
 * open loop of the placement scenario, BENCH_PG_DATABASE_ONLY=1 counts only the bench database's PostgreSQL
 * backends (bench/cpu.ts): on a shared machine, before/after figures of one change.
 */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'catalog,placement,checkout,tracking').split(','));
const SCENARIOS = { catalog, placement, checkout, tracking };
const [PORT_A, PORT_B, PORT_BALANCER] = [3400, 3401, 3402];

async function main(): Promise<void> {
  const stack = new BenchStack();
  const startedAt = new Date();
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  console.log(`[bench] database ${stack.database}, ${SECONDS} s per load scenario`);
  countPostgresOf(stack.database);
  await stack.createDatabase();
  try {
    const [a, b] = await Promise.all([stack.startApi(PORT_A), stack.startApi(PORT_B)]);
    await stack.startBalancer(PORT_BALANCER, [PORT_A, PORT_B]);
    const url = (port: number) => `http://127.0.0.1:${port}`;
    // Accounts through B: A is the instance whose memory is reported.
    const data = await createFixtures(stack, url(PORT_B));
    const ctx: ScenarioContext = {
      stack,
      data,
      seconds: SECONDS,
      apiA: { url: url(PORT_A), process: a },
      apiB: { url: url(PORT_B), process: b },
      balancer: { url: url(PORT_BALANCER) },
      rows,
      raw,
    };
    for (const [name, scenario] of Object.entries(SCENARIOS))
      if (ONLY.has(name)) await scenario(ctx);
    await data.db.end();
  } finally {
    await stack.teardown();
  }
  publish({ startedAt: startedAt.toISOString(), seconds: SECONDS, machine: machine(), rows, raw });
}

await main();
process.exit(0);
