import { Redis } from 'ioredis';
import pg from 'pg';

/** Drops the run's database and its Redis keys (KEEP_TEST_DB=1 keeps them for inspection). */
export default async function globalTeardown() {
  if (process.env.KEEP_TEST_DB === '1') return;
  const client = new pg.Client({ connectionString: process.env.FC_TEST_SERVER_URL });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${process.env.FC_TEST_DATABASE}" WITH (FORCE)`);
  await client.end();

  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${process.env.REDIS_PREFIX}*`,
      'COUNT',
      1000,
    );
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
