import type { DataSource } from 'typeorm';

/**
 * Resolves once at least `n` sessions of this database wait on a lock (pg_stat_activity), so a
 * test can line requests up on a lock it holds without sleeping and hoping; throws after `ms`.
 */
export async function sessionsWaitingOnLocks(db: DataSource, n: number, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const [{ waiting }] = await db.query(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (waiting >= n) return;
    if (Date.now() > deadline) throw new Error(`fewer than ${n} sessions waiting on a lock`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
