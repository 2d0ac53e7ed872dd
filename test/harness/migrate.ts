import { DataSource } from 'typeorm';
import { loadConfig } from '#libs/config';
import { dataSourceOptions } from '#libs/database';

// Every e2e file starts from a migrated database; an advisory lock lets parallel workers share it.
beforeAll(async () => {
  const dataSource = new DataSource(dataSourceOptions(loadConfig()));
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock(42)');
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.query('SELECT pg_advisory_unlock(42)');
    await dataSource.destroy();
  }
});
