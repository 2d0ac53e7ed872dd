import { ConfigError, loadConfig } from './app-config.js';

const production = {
  NODE_ENV: 'production',
  JWT_ACCESS_SECRET: 'k3Jq9vXw2LmP8rTz4YbN6cHd1FgS5aEu7QiO0WeR',
  JWT_REFRESH_SECRET: 'Zp4Lx8Qm2Vn6Bc1Rt9Ys3Kd7Hf5Jg0Wa2Ue4Io6P',
  METRICS_TOKEN: 'prometheus-scrape-token-9f8e7d6c',
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

/** Issue 23, S4: /metrics and /docs were open by default, in production too. */
describe('what production exposes: metrics and docs', () => {
  it('refuses to start in production without METRICS_TOKEN', () => {
    const { METRICS_TOKEN: _, ...withoutToken } = production;
    expect(problemsOf(withoutToken)).toEqual([
      'METRICS_TOKEN must be set in production (GET /metrics requires it as a bearer token)',
    ]);
    expect(problemsOf({ ...withoutToken, METRICS_TOKEN: '' })).toHaveLength(1);
    expect(problemsOf({ ...production, METRICS_TOKEN: 'short' })[0]).toMatch(
      /^METRICS_TOKEN must be longer/,
    );
    expect(loadConfig(production).metrics.token).toBe(production.METRICS_TOKEN);
  });

  it('leaves METRICS_TOKEN optional outside production, and keeps it when set', () => {
    expect(loadConfig({}).metrics.token).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test' }).metrics.token).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'a-development-token-123' }).metrics.token).toBe(
      'a-development-token-123',
    );
  });

  it('serves the docs in production only when DOCS_ENABLED=true, elsewhere unless false', () => {
    expect(loadConfig(production).docs.enabled).toBe(false);
    expect(loadConfig({ ...production, DOCS_ENABLED: 'false' }).docs.enabled).toBe(false);
    expect(loadConfig({ ...production, DOCS_ENABLED: 'true' }).docs.enabled).toBe(true);
    expect(loadConfig({}).docs.enabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).docs.enabled).toBe(true);
    expect(loadConfig({ DOCS_ENABLED: 'false' }).docs.enabled).toBe(false);
    expect(loadConfig({ DOCS_ENABLED: '' }).docs.enabled).toBe(true);
    expect(problemsOf({ DOCS_ENABLED: 'yes' })).toEqual([
      'DOCS_ENABLED must be one of the following values: true, false',
    ]);
  });
});
