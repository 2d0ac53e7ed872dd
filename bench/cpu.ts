import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the machine's CPU went during a run, in % of one core (a 2-core machine has 200), read
 * from /proc (Linux): the api processes, PostgreSQL's, this load generator, everything else
 * (Redis, HAProxy, the kernel's own work) and what stayed idle. On a machine that runs all of
 * them, this is the profile that shows the limit: which process the cores were busy with.
 */
export interface CpuShare {
  api: number;
  /** PostgreSQL's backends serving clients (and, without BENCH_PG_DATABASE_ONLY, the rest). */
  postgres: number;
  /**
   * PostgreSQL's autovacuum workers (of the bench database with BENCH_PG_DATABASE_ONLY=1): apart,
   * because they clean up after earlier scenarios' rows and land on whichever run is going on.
   */
  vacuum: number;
  generator: number;
  other: number;
  idle: number;
}

type Kind = 'api' | 'postgres' | 'vacuum' | 'generator';

/**
 * BENCH_PG_DATABASE_ONLY=1: PostgreSQL's CPU is only that of the backends serving the bench's
 * database (their process title names it), not of the whole server: on a machine whose
 * PostgreSQL also serves other work (parallel test suites), this is the only figure that is
 * ours. Background processes (WAL writer, checkpointer) are then not counted, in the baseline as
 * in FlashCart's rows.
 */
let pgDatabase: string | undefined;
export function countPostgresOf(database: string): void {
  if (process.env.BENCH_PG_DATABASE_ONLY === '1') pgDatabase = ` ${database} `;
}

interface Snapshot {
  at: number;
  busy: number;
  idle: number;
  ticks: Map<number, { kind: Kind; ticks: number }>;
}

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux). */
const HZ = 100;

export function cpuSnapshot(): Snapshot {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number);
  const ticks = new Map<number, { kind: Kind; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const kind = kindOf(pid, comm);
      if (!kind) continue;
      // utime + stime, and cutime + cstime: the postmaster's count the backends that ended.
      const [utime, stime, cutime, cstime] = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ')
        .slice(11, 15)
        .map(Number);
      ticks.set(pid, { kind, ticks: utime! + stime! + cutime! + cstime! });
    } catch {
      // The process ended meanwhile.
    }
  }
  return {
    at: performance.now(),
    busy: user! + nice! + system! + irq! + softirq! + steal!,
    idle: idle! + iowait!,
    ticks,
  };
}

function kindOf(pid: number, comm: string): Kind | undefined {
  if (pid === process.pid) return 'generator';
  if (comm === 'postgres') {
    const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (pgDatabase && !title.includes(pgDatabase)) return undefined;
    return title.startsWith('postgres: autovacuum worker') ? 'vacuum' : 'postgres';
  }
  if (comm === 'node' || comm === 'MainThread') {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('bench-api.js')) return 'api';
  }
  return undefined;
}

/**
 * `later` with the processes that ended since `earlier` kept at their last count (a backend
 * of the bench's database that ended is in no process's children's time that is counted).
 */
export function mergeSnapshots(earlier: Snapshot, later: Snapshot): Snapshot {
  const ticks = new Map(earlier.ticks);
  for (const [pid, t] of later.ticks) ticks.set(pid, t);
  return { ...later, ticks };
}

/** The CPU used between two snapshots, in % of one core over the time between them. */
export function cpuBetween(before: Snapshot, after: Snapshot): CpuShare {
  const seconds = (after.at - before.at) / 1000;
  const pct = (ticks: number) => Math.round((ticks / HZ / seconds) * 100);
  const used: Record<Kind, number> = { api: 0, postgres: 0, vacuum: 0, generator: 0 };
  for (const [pid, now] of after.ticks)
    used[now.kind] += now.ticks - (before.ticks.get(pid)?.ticks ?? 0);
  const busy = after.busy - before.busy;
  const named = used.api + used.postgres + used.vacuum + used.generator;
  return {
    api: pct(used.api),
    postgres: pct(used.postgres),
    vacuum: pct(used.vacuum),
    generator: pct(used.generator),
    other: pct(Math.max(0, busy - named)),
    idle: pct(after.idle - before.idle),
  };
}

export const formatCpu = (c: CpuShare): string =>
  `api ${c.api}, PostgreSQL ${c.postgres}${c.vacuum ? ` (+ autovacuum ${c.vacuum})` : ''}, generator ${c.generator}, other ${c.other}, idle ${c.idle}`;
