import pg from 'pg';

/** What the bench database's sessions were doing on average while a run went on. */
export interface SessionShare {
  /** Executing (or waiting on I/O, e.g. the WAL flush of a commit). */
  running: number;
  /** Waiting for a lock another transaction holds (stock rows, a store's counter, a key). */
  onLock: number;
  /** Inside a transaction, waiting for the client's next statement (its locks still held). */
  waitingForClient: number;
  /** Connected, no transaction: pool slack. */
  idle: number;
}

/**
 * Samples pg_stat_activity every 50 ms while `work` runs: where a placement's time goes inside
 * PostgreSQL. Many sessions "waiting for the client" with their locks held, while others wait
 * for those locks, means the client (the api's event loop) lengthens every transaction.
 */
export async function samplingSessions<T>(
  databaseUrl: string,
  work: () => Promise<T>,
): Promise<{ value: T; sessions: SessionShare }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const total: SessionShare = { running: 0, onLock: 0, waitingForClient: 0, idle: 0 };
  let samples = 0;
  let done = false;
  const sampling = (async () => {
    while (!done) {
      const { rows } = await client.query<{ [K in keyof SessionShare]: number }>(
        `SELECT count(*) FILTER (WHERE state = 'active' AND wait_event_type IS DISTINCT FROM 'Lock')::int AS running,
                count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock')::int AS "onLock",
                count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int AS "waitingForClient",
                count(*) FILTER (WHERE state = 'idle')::int AS idle
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      for (const key of Object.keys(total) as (keyof SessionShare)[]) total[key] += rows[0]![key];
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    const value = await work();
    return { value, sessions: averaged(total, samples) };
  } finally {
    done = true;
    await sampling.catch(() => undefined);
    await client.end();
  }
}

function averaged(total: SessionShare, samples: number): SessionShare {
  const avg = (n: number) => Math.round((n / Math.max(1, samples)) * 10) / 10;
  return {
    running: avg(total.running),
    onLock: avg(total.onLock),
    waitingForClient: avg(total.waitingForClient),
    idle: avg(total.idle),
  };
}

export const formatSessions = (s: SessionShare): string =>
  `PostgreSQL sessions on average: ${s.running} running, ${s.onLock} waiting for a lock, ` +
  `${s.waitingForClient} in a transaction waiting for the client, ${s.idle} idle`;
