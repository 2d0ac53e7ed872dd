import { readFileSync } from 'node:fs';
import { apiOnPrivateRedis, startApi, startWorker, type RunningApp } from './harness/apps.js';
import { expectErrorShape, HttpClient } from './harness/http-client.js';
import { operations } from './harness/openapi.js';
import { rawExchange } from './harness/raw-request.js';

describe('platform: health, errors, request ids, docs', () => {
  let api: RunningApp;
  let http: HttpClient;

  beforeAll(async () => {
    api = await startApi();
    http = new HttpClient(api.url);
  });
  afterAll(() => api.close());

  it('reports ready with the version when PostgreSQL and Redis answer', async () => {
    const res = await http.get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      version: readFileSync('VERSION', 'utf8').trim(),
      checks: {
        database: expect.objectContaining({ status: 'up' }),
        redis: { status: 'up' },
      },
    });
  });

  it('answers liveness', async () => {
    const res = await http.get('/health/live');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('gives unknown routes a 404 with the error shape and a request id', async () => {
    const res = await http.get('/v1/no-such-thing');
    expectErrorShape(res, 404);
    expect(res.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a sane caller request id and replaces a hostile one', async () => {
    const given = await http.get('/v1/nope', { headers: { 'x-request-id': 'trace-123.abc' } });
    expect(given.body.requestId).toBe('trace-123.abc');
    expect(given.headers.get('x-request-id')).toBe('trace-123.abc');

    const hostile = await http.get('/v1/nope', { headers: { 'x-request-id': 'a b<script>' } });
    expect(hostile.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects malformed JSON with a 400 in the error shape', async () => {
    const res = await http.post('/health/live', undefined, { raw: '{"oops":' });
    expectErrorShape(res, 400);
    expect(res.body.message).toMatch(/JSON/);
  });

  it('rejects a body over the size limit with 413', async () => {
    const res = await http.post('/health/live', undefined, {
      raw: JSON.stringify({ blob: 'x'.repeat(api.config.http.bodyLimit + 1) }),
    });
    expectErrorShape(res, 413);
  });

  it('sends security headers, on errors too', async () => {
    for (const res of [await http.get('/health/live'), await http.get('/v1/no-such-route')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    }
  });

  it('lets an allowed origin use every method openapi.json uses (CORS preflight)', async () => {
    const origin = api.config.http.corsOrigins[0]!;
    const methods = [...new Set(operations().map((op) => op.method))].sort();
    expect(methods).toEqual(expect.arrayContaining(['DELETE', 'GET', 'PATCH', 'POST', 'PUT']));
    for (const op of operations()) {
      const res = await fetch(`${api.url}${op.path.replace(/\{[^}]+\}/g, 'x')}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': op.method,
          'access-control-request-headers': 'authorization,content-type,idempotency-key',
        },
      });
      const allowed = (res.headers.get('access-control-allow-methods') ?? '').split(/\s*,\s*/);
      expect({
        op: `${op.method} ${op.path}`,
        status: res.status,
        allowed: allowed.includes(op.method),
      }).toEqual({ op: `${op.method} ${op.path}`, status: 204, allowed: true });
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    }
    // Another origin gets no grant.
    const other = await fetch(`${api.url}/v1/orders`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves Swagger UI and an OpenAPI document equal to the committed openapi.json', async () => {
    const ui = await http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.body).toContain('swagger-ui');

    const doc = await http.get('/docs-json');
    expect(doc.body.info).toMatchObject({ title: 'FlashCart API', version: api.config.version });
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ scheme: 'bearer' });
    const committed = JSON.parse(readFileSync('openapi.json', 'utf8'));
    // Stale? Run `make openapi` and commit the file.
    expect(doc.body).toEqual(committed);
  });

  it('answers an unparsable request target in the error shape with the security headers, and HEAD without a body', async () => {
    const headers = (response: string) => {
      const [head = '', after = ''] = response.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const map = new Map(
        lines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      return { statusLine, map, after };
    };
    for (const method of ['HEAD', 'GET']) {
      const res = headers(
        await rawExchange(api.url, `${method} %2Fadmin/board HTTP/1.1\r\nHost: x\r\n\r\n`),
      );
      expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(res.map.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.map.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.map.get('strict-transport-security')).toBeDefined();
      expect(res.map.get('x-content-type-options')).toBe('nosniff');
      if (method === 'HEAD') expect(res.after).toBe('');
      else
        expect(JSON.parse(res.after)).toMatchObject({
          statusCode: 400,
          code: 'MALFORMED_REQUEST',
          requestId: res.map.get('x-request-id'),
        });
    }
  });
});

describe('platform: Redis goes away and comes back', () => {
  const outage = apiOnPrivateRedis();

  it('turns not-ready naming redis, then ready again without a restart', async () => {
    const http = new HttpClient(outage.api.url);
    expect((await http.get('/health/ready')).status).toBe(200);

    await outage.redis.stop();
    const down = await http.get('/health/ready');
    expectErrorShape(down, 503);
    expect(down.body.message).toBe('Not ready: redis down');
    expect(down.body.checks.redis.status).toBe('down');
    expect(down.body.checks.database.status).toBe('up');

    await outage.redis.start();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await http.get('/health/ready')).status;
    }
    expect(status).toBe(200);
  });
});

/**
 * Issue 23, S4: /metrics (api and worker) was open by default in production, and /docs served
 * there. Production now needs METRICS_TOKEN (libs/config refuses to start without it) and serves
 * /docs only with DOCS_ENABLED=true.
 */
describe('platform in production: metrics behind their token, docs off unless enabled', () => {
  const token = 'production-metrics-token-0123456789';
  const production = {
    NODE_ENV: 'production',
    JWT_ACCESS_SECRET: 'Xq7Lm2Vp9Rt4Wz8Kb3Nc6Hd1Fg5Sj0Ya8Ue2Io4P',
    JWT_REFRESH_SECRET: 'Pa3Ks8Ld1Mf6Ng0Bh5Vj9Cx2Zq7Wr4Et1Yu6Io3X',
    METRICS_TOKEN: token,
    // Production takes real payment settings only (nothing here calls Stripe).
    PAYMENT_PROVIDER: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_platform0123456789',
    STRIPE_WEBHOOK_SECRET: 'whsec_platform0123456789abcdef',
    REDIS_PREFIX: `${process.env.REDIS_PREFIX}_production`,
  };
  let api: RunningApp;
  let worker: RunningApp;
  beforeAll(async () => {
    [api, worker] = await Promise.all([startApi(production), startWorker(production)]);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('refuses to start the api or the worker in production without METRICS_TOKEN', async () => {
    // (Before, both started and answered /metrics to anyone.)
    const withoutToken = { ...production, METRICS_TOKEN: '' };
    for (const start of [startApi, startWorker]) {
      const started = await start(withoutToken).catch((err: Error) => err);
      if (!(started instanceof Error)) await started.close();
      expect(String(started instanceof Error ? started.message : 'started')).toContain(
        'Invalid configuration: METRICS_TOKEN must be set in production',
      );
    }
  });

  it('answers /metrics on the api and the worker only to the metrics token', async () => {
    for (const app of [api, worker]) {
      const http = new HttpClient(app.url);
      expect(app.config.env).toBe('production');
      expectErrorShape(await http.get('/metrics'), 401);
      for (const authorization of [
        `Bearer ${token.slice(0, -1)}`,
        `Bearer ${token}x`,
        `Basic ${token}`,
        token,
        'Bearer ',
      ])
        expectErrorShape(await http.get('/metrics', { headers: { authorization } }), 401);
      const ok = await http.get('/metrics', { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('flashcart_process_resident_memory_bytes');
    }
  });

  it('serves no Swagger UI or OpenAPI document unless DOCS_ENABLED=true', async () => {
    const http = new HttpClient(api.url);
    for (const path of ['/docs', '/docs/', '/docs-json', '/docs-yaml', '/docs/swagger-ui-init.js'])
      expectErrorShape(await http.get(path), 404);
    const enabled = await startApi({ ...production, DOCS_ENABLED: 'true' });
    try {
      const docs = new HttpClient(enabled.url);
      expect((await docs.get('/docs')).status).toBe(200);
      expect((await docs.get('/docs-json')).body.info.title).toBe('FlashCart API');
    } finally {
      await enabled.close();
    }
  });
});
