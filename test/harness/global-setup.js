// Plain JavaScript: jest loads global setup outside its ESM/TypeScript pipeline.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import pg from 'pg';

/** The server that hosts each run's throwaway database. */
export function serverUrl() {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  return withDatabase(base, 'postgres');
}

export function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * One fresh database and one Redis key prefix per e2e run, so runs never see each other's data.
 * Jest workers inherit these variables; each worker applies migrations once (see migrate.ts).
 */
export default async function globalSetup() {
  // The same precedence as every entry point (libs/config's applyEnvFiles): the environment wins,
  // then .env, then the project-local services' URLs; Node's loader never overrides a variable.
  for (const file of ['.env', '.local/services.env'])
    if (existsSync(file)) process.loadEnvFile(file);
  const id = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const database = `fc_test_${id}`;
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  await client.query(`CREATE DATABASE "${database}"`);
  await client.end();
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Every test signs users up from 127.0.0.1; the rate-limit test sets its own limits.
    AUTH_RATE_LIMIT_IP: '1000000',
    AUTH_RATE_LIMIT_ACCOUNT: '1000',
    // Every test's sockets come from 127.0.0.1 too; the limits test sets its own.
    TRACKING_MAX_SOCKETS_PER_IP: '1000000',
    // No SMTP server unless a suite starts one (test/harness/smtp-server.ts) and turns email on.
    EMAIL_ENABLED: 'false',
    DATABASE_URL: withDatabase(serverUrl(), database),
    REDIS_PREFIX: `fctest_${id}`,
    FC_TEST_DATABASE: database,
    FC_TEST_SERVER_URL: serverUrl(),
  });
}
