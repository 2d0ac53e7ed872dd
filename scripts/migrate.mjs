// `make migrate` / `make migrate-revert` (npm run migrate / migrate:revert), and the compose
// `migrate` service: applies the pending migrations, or reverts the last one, each in its own
// transaction, printing one line per migration (the TypeORM CLI prints every SQL statement).
// Uses the compiled DataSource (npm run build first), configured like every entry point.
import dataSource from '../dist/libs/database/src/data-source.js';

const revert = process.argv[2] === 'revert';
const url = new URL(dataSource.options.url);
const [host, port, database] = [url.hostname, url.port || '5432', url.pathname.slice(1)];
try {
  await dataSource.initialize();
  if (revert) {
    const [last] = await dataSource.query(
      `SELECT name FROM ${dataSource.options.migrationsTableName ?? 'migrations'} ORDER BY id DESC LIMIT 1`,
    );
    if (!last) console.log(`[migrate] nothing to revert in ${database} at ${host}:${port}`);
    else {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log(`[migrate] reverted ${last.name}`);
    }
  } else {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) console.log(`[migrate] applied ${m.name}`);
    const total = dataSource.migrations.length;
    console.log(
      `[migrate] ${database} at ${host}:${port}: ${applied.length} applied now, ${total} in all`,
    );
  }
} catch (err) {
  console.error(`[migrate] failed: ${err?.message ?? err}`);
  process.exitCode = 1;
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
}
