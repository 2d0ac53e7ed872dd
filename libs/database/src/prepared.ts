import type pg from 'pg';
import type { EntityManager } from 'typeorm';

/** A statement PostgreSQL prepares once per connection, under `name` (unique per text). */
export interface PreparedStatement {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * Runs a hot statement as a named prepared statement: PostgreSQL parses it once per connection
 * and soon plans it once too. For the order placement statement, parse and plan cost as much as
 * running it (measured with log_min_duration_statement; see docs/benchmarks.md).
 * In the manager's transaction when it has one, else on a pooled connection. `name` must be
 * unique per statement text.
 */
export function queryPrepared<T>(m: EntityManager, statement: PreparedStatement): Promise<T[]>;
export function queryPrepared<T>(
  m: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]>;
export async function queryPrepared<T>(
  m: EntityManager,
  nameOrStatement: string | PreparedStatement,
  text?: string,
  values?: unknown[],
): Promise<T[]> {
  const config: pg.QueryConfig =
    typeof nameOrStatement === 'string'
      ? { name: nameOrStatement, text: text!, values: values! }
      : nameOrStatement;
  // A query runner is TypeORM's public way to a pooled pg connection (and its own, in a transaction).
  const runner = m.queryRunner ?? m.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as pg.PoolClient;
    return (await client.query(config)).rows as T[];
  } finally {
    if (runner !== m.queryRunner) await runner.release();
  }
}
