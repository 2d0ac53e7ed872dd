import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '#libs/config';
import { dataSourceOptions } from '#libs/database';

export interface IsolatedDatabase {
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * A fresh, migrated database of its own, for suites whose background work (sweepers) scans whole
 * tables and must not touch other suites' rows.
 */
export async function isolatedDatabase(): Promise<IsolatedDatabase> {
  const server = process.env.FC_TEST_SERVER_URL!;
  const name = `${process.env.FC_TEST_DATABASE}_${randomBytes(3).toString('hex')}`;
  const admin = new DataSource({ type: 'postgres', url: server });
  await admin.initialize();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = withDatabase(server, name);
  const ds = new DataSource(dataSourceOptions(loadConfig({ ...process.env, DATABASE_URL: url })));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  return {
    url,
    drop: async () => {
      if (process.env.KEEP_TEST_DB !== '1')
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
