// Creates the database named in DATABASE_URL when it does not exist yet (idempotent).
import pg from 'pg';

const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flashcart');
const name = decodeURIComponent(url.pathname.slice(1));
url.pathname = '/postgres';
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
if (rowCount === 0) {
  await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  console.log(`[db] created database ${name}`);
}
await client.end();
