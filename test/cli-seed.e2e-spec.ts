import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';

const run = promisify(execFile);

/** The built CLI (`make seed` is `npm run seed`), its output as an operator's terminal or CI log shows it. */
async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/apps/api/src/cli.js', ...args], {
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

const strongSecrets = () => ({
  JWT_ACCESS_SECRET: randomBytes(48).toString('base64'),
  JWT_REFRESH_SECRET: randomBytes(48).toString('base64'),
  METRICS_TOKEN: randomBytes(32).toString('hex'),
  PAYMENT_PROVIDER: 'stripe',
  STRIPE_SECRET_KEY: `sk_test_${randomBytes(16).toString('hex')}`,
  STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
});

describe('make seed (the CLI)', () => {
  let database: IsolatedDatabase;
  beforeAll(async () => {
    database = await isolatedDatabase();
  });
  afterAll(() => database.drop());

  const adminPassword = `Adm-${randomBytes(12).toString('base64url')}`;
  const admin = { ADMIN_EMAIL: 'Ops@Example.COM', ADMIN_PASSWORD: adminPassword };

  it('prints no password in production: the admin, and the variable that holds its password', async () => {
    const { code, output } = await cli(['seed'], {
      DATABASE_URL: database.url,
      NODE_ENV: 'production',
      ...strongSecrets(),
      ...admin,
    });
    expect(code).toBe(0);
    expect(output).not.toContain(adminPassword);
    expect(output).toContain('ops@example.com');
    expect(output).toContain('ADMIN_PASSWORD');
    expect(output).not.toContain('flashcart.local'); // no demo users in production
  }, 120_000);

  it('prints no password outside production either: demo users point to the README', async () => {
    const { code, output } = await cli(['seed'], { DATABASE_URL: database.url, ...admin });
    expect(code).toBe(0);
    for (const secret of [
      adminPassword,
      'flashcart-admin',
      'flashcart-customer',
      'flashcart-rider',
    ])
      expect(output).not.toContain(secret);
    expect(output).toContain('customer@flashcart.local');
    expect(output).toContain('README.md');
  }, 120_000);

  it('refuses to start in production with a low-entropy secret, naming the variable', async () => {
    const { code, output } = await cli(['seed'], {
      DATABASE_URL: database.url,
      NODE_ENV: 'production',
      ...strongSecrets(),
      JWT_ACCESS_SECRET: 'a'.repeat(36),
    });
    expect(code).toBe(1);
    expect(output).toContain('JWT_ACCESS_SECRET is too weak for production');
    expect(output).not.toContain('aaaaaaaa');
  });
});
