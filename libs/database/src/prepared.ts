import type pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * Runs a hot statement as a named prepared statement: PostgreSQL parses it once per connection
 * and soon plans it once too. For the order placement statement, parse and plan cost as much as
 * running it (measured with log_min_duration_statement; see the README's Benchmarks).
 * In the manager's transaction when it has one, else on a pooled connection. `name` must be
 * unique per statement text.
 */
export interface PreparedStatement {
  name: string;
  text: string;
  values: unknown[];
}

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
  if (m.queryRunner) {
    const client = (await m.queryRunner.connect()) as pg.PoolClient;
    return (await client.query(config)).rows as T[];
  }
  return (await pgPool(m.connection).query(config)).rows as T[];
}

/** The pg pool behind a TypeORM DataSource (PostgreSQL). */
export function pgPool(dataSource: DataSource): pg.Pool {
  return (dataSource.driver as PostgresDriver).master as pg.Pool;
}
