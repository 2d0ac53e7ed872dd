import type { QueryRunner } from 'typeorm';

/**
 * Creates an index unless a valid one of that name exists: an operator may have built it
 * CONCURRENTLY beforehand, on a table too large to lock for the build (docs/operations.md). One
 * left invalid by an interrupted concurrent build is dropped and built again: IF NOT EXISTS would
 * keep it, and the planner never uses an invalid index.
 */
export async function createIndexUnlessValid(
  q: QueryRunner,
  name: string,
  definition: string,
): Promise<void> {
  const [existing] = await q.query(
    `SELECT i.indisvalid AS valid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
      WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`,
    [name],
  );
  if (existing?.valid) return;
  if (existing) await q.query(`DROP INDEX "${name}"`);
  await q.query(`CREATE INDEX "${name}" ${definition}`);
}
