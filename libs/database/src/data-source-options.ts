import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '#libs/config';
import { migrations } from './migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

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
    // Pool sized for a 2-core box; fail fast when the database is unreachable.
    extra: { max: 20, connectionTimeoutMillis: 2_000, idleTimeoutMillis: 30_000 },
    // Expected failures (unique violations we map to 409) are not noise; slow queries are.
    logging: ['warn'],
    maxQueryExecutionTime: 1_000,
  };
}
