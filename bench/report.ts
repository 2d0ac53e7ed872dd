import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { formatCpu, type CpuShare } from './cpu.js';

/** One line of the results: a scenario, its figure, the same-run baseline and the target. */
export interface Row {
  scenario: string;
  result: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean;
  /** The machine's CPU during the scenario by process, the load generator's own among them. */
  cpu: CpuShare | null;
}

export interface Report {
  startedAt: string;
  seconds: number;
  machine: { cpus: number; cpu: string | undefined; memoryGb: number; node: string };
  rows: Row[];
  raw: Record<string, unknown>;
}

const DOCS = 'docs/benchmarks.md';
const BEGIN = '<!-- bench:latest (written by make bench from bench/results/latest.json) -->';
const END = '<!-- bench:end -->';

export function machine(): Report['machine'] {
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model.trim(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

export function table(report: Report): string {
  const m = report.machine;
  const when = report.startedAt.slice(0, 16).replace('T', ' ');
  const lines = [
    `Run of ${when} UTC, ${report.seconds} s per load scenario, on ${m.cpus} × ${m.cpu}, ` +
      `${m.memoryGb} GiB, Node ${m.node}; load generator, PostgreSQL, Redis and HAProxy on the same machine.`,
    '',
    '| scenario | FlashCart | baseline (same run) | ratio | target | met | CPU, % of one core (machine: ' +
      `${m.cpus * 100}) |`,
    '|---|---|---|---|---|---|---|',
    ...report.rows.map(
      (r) =>
        `| ${r.scenario} | ${r.result} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met ? 'yes' : '**no**'} | ${r.cpu ? formatCpu(r.cpu) : '-'} |`,
    ),
  ];
  return lines.join('\n');
}

/** bench/results/latest.json (and a timestamped copy), the table printed and put in the docs. */
export function publish(report: Report): void {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  mkdirSync('bench/results', { recursive: true });
  // A subset (BENCH_ONLY) is not the run the docs' table and latest.json describe.
  if (!process.env.BENCH_ONLY) writeFileSync('bench/results/latest.json', json);
  writeFileSync(`bench/results/${report.startedAt.replace(/[:.]/g, '-')}.json`, json);
  const text = table(report);
  console.log(`\n${text}`);
  const docs = readFileSync(DOCS, 'utf8');
  const [before, rest] = [docs.slice(0, docs.indexOf(BEGIN)), docs.slice(docs.indexOf(END))];
  if (docs.includes(BEGIN) && docs.includes(END) && !process.env.BENCH_ONLY)
    writeFileSync(DOCS, `${before}${BEGIN}\n\n${text}\n\n${rest}`);
}
