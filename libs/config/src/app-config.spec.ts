import { ConfigError, loadConfig } from './app-config.js';

const realSecrets = {
  JWT_ACCESS_SECRET: 'Qm3v9KzT1xW8pL2cR7nY4bH6jF0sD5gA-e1R',
  JWT_REFRESH_SECRET: 'u8Ee2Zr5Lw1Ny9Tq3Kc7Vb0Mx4Pa6Sd-h7J',
  METRICS_TOKEN: 'Hx7Lq2Vw9Nc4Rt8Bz1Mk6Ps3Dy5Fg0Ja',
};
const realPayments = {
  PAYMENT_PROVIDER: 'stripe',
  STRIPE_SECRET_KEY: 'sk_live_Zq8Xw3Rt6Yp1Lm4Nb7Vc0',
  STRIPE_WEBHOOK_SECRET: 'whsec_Kd5Jh2Gf9Sa4Qw7Ez1Rx3',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('loadConfig', () => {
  it('has working local defaults for every variable', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.http.port).toBe(3000);
    expect(config.worker.healthPort).toBe(3001);
    expect(config.auth.accessTtlSeconds).toBe(900);
    expect(config.redis.prefix).toBe('fc');
  });

  it('parses numbers and lists', () => {
    const config = loadConfig({
      PORT: '8080',
      CORS_ORIGINS: ' https://a.example , https://b.example,',
    });
    expect(config.http.port).toBe(8080);
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('trusts no proxy by default, every hop with true, or the proxies named', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.7, fd00::/8 ,uniquelocal' }).http.trustProxy).toEqual(
      ['10.0.0.7', 'fd00::/8', 'uniquelocal'],
    );
    for (const bad of ['1', 'yes', '10.0.0.0/33', '10.0.0.1,', 'localhost', '1.2.3.4/8/8']) {
      expect(problemsOf({ TRUST_PROXY: bad })).toEqual([
        'TRUST_PROXY must be false, true, or comma-separated proxy addresses or CIDRs (or loopback, linklocal, uniquelocal)',
      ]);
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).http.port).toBe(3000);
  });

  it('names each malformed variable in one line', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('PORT '))).toBeDefined();
    expect(
      problems.find((p) => p.startsWith('DATABASE_URL must be a postgres:// URL')),
    ).toBeDefined();
    expect(problems.find((p) => p.startsWith('LOG_LEVEL '))).toBeDefined();
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^Invalid configuration: PORT /);
  });

  it('refuses to start in production with missing or example secrets', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'JWT_ACCESS_SECRET must be set to a real secret in production (not the example)',
      'JWT_REFRESH_SECRET must be set to a real secret in production (not the example)',
      'METRICS_TOKEN must be set in production (GET /metrics requires it as a bearer token)',
      'PAYMENT_PROVIDER must be stripe in production (fake moves no money)',
      'STRIPE_WEBHOOK_SECRET must be set to the endpoint’s signing secret in production',
    ]);
    const example = loadConfig({}).auth.accessSecret;
    expect(
      problemsOf({
        NODE_ENV: 'production',
        ...realSecrets,
        ...realPayments,
        JWT_ACCESS_SECRET: example,
      }),
    ).toEqual(['JWT_ACCESS_SECRET must be set to a real secret in production (not the example)']);
    expect(loadConfig({ NODE_ENV: 'production', ...realSecrets, ...realPayments }).env).toBe(
      'production',
    );
  });

  it('refuses the fake payment provider and a Stripe stand-in in production, and Stripe without its key', () => {
    const production = { NODE_ENV: 'production', ...realSecrets, ...realPayments };
    expect(problemsOf({ ...production, PAYMENT_PROVIDER: 'fake' })).toEqual([
      'PAYMENT_PROVIDER must be stripe in production (fake moves no money)',
    ]);
    expect(problemsOf({ ...production, STRIPE_API_HOST: '127.0.0.1' })).toEqual([
      'STRIPE_API_HOST/PORT/PROTOCOL are for tests; unset them in production',
    ]);
    expect(problemsOf({ PAYMENT_PROVIDER: 'stripe' })).toEqual([
      'STRIPE_SECRET_KEY must be set when PAYMENT_PROVIDER=stripe',
    ]);
    expect(loadConfig({}).payments.provider).toBe('fake');
  });

  it('refuses weak secrets in production only (secretWeakness: repeats, runs, placeholders)', () => {
    const weak = {
      JWT_ACCESS_SECRET: 'a'.repeat(36),
      JWT_REFRESH_SECRET: 'abc'.repeat(12),
      METRICS_TOKEN: 'Hx7Lq2Vw9Nc4Rt8Bz1Mk6Ps3Dy5Fg0Ja',
    };
    expect(problemsOf({ NODE_ENV: 'production', ...weak, ...realPayments })).toEqual([
      'JWT_ACCESS_SECRET is too weak for production: it has 1 distinct characters (at least 10 required)',
      'JWT_REFRESH_SECRET is too weak for production: it has 3 distinct characters (at least 10 required)',
    ]);
    expect(loadConfig(weak).env).toBe('development');
  });

  it('email: on outside production; in production only with its SMTP server, sender and links', () => {
    expect(loadConfig({}).email).toMatchObject({
      enabled: true,
      smtpUrl: 'smtp://127.0.0.1:1025',
      publicBaseUrl: 'http://localhost:3000',
    });
    expect(
      loadConfig({ NODE_ENV: 'production', ...realSecrets, ...realPayments }).email.enabled,
    ).toBe(false);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        ...realSecrets,
        ...realPayments,
        SMTP_URL: 'smtps://u:p@mail.example:465',
      }),
    ).toEqual([
      'MAIL_FROM must be set in production while email is on (EMAIL_ENABLED, SMTP_URL)',
      'PUBLIC_BASE_URL must be set in production while email is on (EMAIL_ENABLED, SMTP_URL)',
    ]);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        ...realSecrets,
        ...realPayments,
        EMAIL_ENABLED: 'true',
      }),
    ).toHaveLength(3);
    expect(problemsOf({ SMTP_URL: 'http://mail.example' })[0]).toMatch(/^SMTP_URL must be an smtp/);
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://shop.example/' }).email.publicBaseUrl).toBe(
      'https://shop.example',
    );
  });

  it('rejects short secrets and identical access/refresh secrets', () => {
    expect(problemsOf({ JWT_ACCESS_SECRET: 'short' })[0]).toMatch(
      /^JWT_ACCESS_SECRET must be longer/,
    );
    expect(
      problemsOf({ JWT_ACCESS_SECRET: 'c'.repeat(40), JWT_REFRESH_SECRET: 'c'.repeat(40) }),
    ).toEqual(['JWT_REFRESH_SECRET must differ from JWT_ACCESS_SECRET']);
  });
});
