import type { ClientBase } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '#libs/config';
import { CoalescingSocket } from './coalescing-socket.js';
import { migrations } from './migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/**
 * node-postgres pool options of the app's connections (and of the bench's raw-pg baseline, so
 * that it talks to PostgreSQL the same way). Pool sized for a 2-core box; fail fast when the
 * database is unreachable. Named prepared statements (`queryPrepared`, all key lookups) keep one
 * generic plan instead of re-planning each run: measured, planning the placement write cost a
 * fifth of running it. Pipeline mode sends a query without waiting for the one before: TypeORM
 * awaits each of its queries, so nothing changes for it; `PipelinedTransaction` uses it to halve
 * placement's round trips, and `CoalescingSocket` sends each of its flights in one write.
 */
export const PG_POOL_OPTIONS = {
  pipeline: true,
  max: 20,
  connectionTimeoutMillis: 2_000,
  idleTimeoutMillis: 30_000,
  options: '-c plan_cache_mode=force_generic_plan',
  stream: () => new CoalescingSocket(),
};

/** The one set of DataSource options, shared by the api, the worker and the migration CLI. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    extra: { ...PG_POOL_OPTIONS, onConnect: listenForConnectionErrors },
    // Expected failures (unique violations we map to 409) are not noise; slow queries are.
    logging: ['warn'],
    maxQueryExecutionTime: 1_000,
  };
}

/**
 * Every pooled connection always has an 'error' listener. pg-pool drops its own while a
 * connection is lent out, and TypeORM adds its listener a promise tick after receiving it: when
 * PostgreSQL ends a backend right after it became ready (failover, pg_terminate_backend), both
 * messages arrive in one read, the error is emitted in that gap and, unheard, crashes the
 * process. The connection is marked unusable either way; its next query fails and the pool
 * discards it, and the request answers 503 DATABASE_UNAVAILABLE (test/robustness.e2e-spec.ts).
 */
function listenForConnectionErrors(client: ClientBase): void {
  client.on('error', () => undefined);
}
