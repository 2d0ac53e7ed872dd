import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { DataSource } from 'typeorm';
import { PG_POOL_OPTIONS } from '#libs/database';
import { startApi, type RunningApp } from './harness/apps.js';
import { CatalogFactory, north } from './harness/catalog-factory.js';
import { placeOrder, signup, userWithRole, type TestUser } from './harness/factories.js';
import { expectErrorShape, HttpClient, type HttpResult } from './harness/http-client.js';
import { claimsOf, craftJwt } from './harness/jwt.js';
import { operations, validateResponse } from './harness/openapi.js';
import { PrivateRedis } from './harness/redis-server.js';
import { TrackingClient } from './harness/tracking-client.js';

/** Issue 13 ("Robustness"): inputs found from outside that answered 500 or off the error shape. */
describe('robustness: hostile input gets a 4xx in the error shape', () => {
  let api: RunningApp;
  let http: HttpClient;
  let admin: TestUser;
  let customer: TestUser;
  let make: CatalogFactory;
  let store: any;
  let product: any;
  let address: Record<string, unknown>;

  beforeAll(async () => {
    api = await startApi();
    http = new HttpClient(api.url);
    admin = await userWithRole(api.app, http, 'admin');
    customer = await signup(http);
    make = new CatalogFactory(http, admin.accessToken);
    store = await make.store();
    product = await make.product();
    await make.stock(store.id, product.id, 1000);
    const spot = north({ lat: store.latitude, lng: store.longitude }, 500);
    address = { line1: '1 Main Road', city: 'Bengaluru', pincode: '560038', ...spot };
  }, 60_000);
  afterAll(() => api.close());

  const order = (body: unknown, raw?: string) =>
    http.request('POST', '/v1/orders', body, {
      token: customer.accessToken,
      headers: { 'idempotency-key': randomUUID() },
      raw,
    });

  function expectValidationError(res: HttpResult): void {
    expectErrorShape(res, 400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  }

  describe('deeply nested JSON (defect 1)', () => {
    const arrays = '['.repeat(20_000) + ']'.repeat(20_000);
    const objects = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);

    it('is refused with 400 on a public route (login) and on placement', async () => {
      for (const raw of [arrays, objects]) {
        expectValidationError(await http.request('POST', '/v1/auth/login', undefined, { raw }));
        expectValidationError(await order(undefined, raw));
      }
    });

    it('still accepts ordinary nesting (an order with items and an address)', async () => {
      const res = await order({ items: [{ productId: product.id, quantity: 1 }], address });
      expect(res.status).toBe(201);
    });
  });

  describe('NUL characters (defect 2)', () => {
    it('in a query string', async () => {
      const res = await http.get('/v1/products?q=%00');
      expectValidationError(res);
      expect(JSON.stringify(res.body.message)).toContain('q');
    });

    it('in a path parameter', async () => {
      expectValidationError(await http.get(`/v1/products/a%00b`));
    });

    it('in a JSON string on signup, placement and admin product create', async () => {
      const signupRes = await http.post('/v1/auth/signup', {
        email: `nul-${randomUUID().slice(0, 8)}@test.flashcart.dev`,
        password: 'correct horse battery',
        name: 'a\u0000b',
      });
      expectValidationError(signupRes);
      expect(JSON.stringify(signupRes.body.message)).toContain('name');

      const placed = await order({
        items: [{ productId: product.id, quantity: 1 }],
        address: { ...address, line1: 'a\u0000b' },
      });
      expectValidationError(placed);
      expect(JSON.stringify(placed.body.message)).toContain('address.line1');

      const created = await http.post(
        '/v1/admin/products',
        {
          sku: `SKU-${randomUUID().slice(0, 8)}`,
          name: 'a\u0000b',
          categoryId: product.categoryId,
          priceMinor: 100,
          unitLabel: '1 kg',
        },
        { token: admin.accessToken },
      );
      expectValidationError(created);
    });

    it('an unpaired surrogate in a JSON string or key (validator threw: 500)', async () => {
      // Found by the fuzz suite (FUZZ_SEED=1313530174): {"email":"\ud800"} answered 500.
      const raw = '{"email":"\\ud800","password":"correct horse battery","name":"Asha"}';
      const signup = await http.request('POST', '/v1/auth/signup', undefined, { raw });
      expectValidationError(signup);
      expect(JSON.stringify(signup.body.message)).toContain('email');
      const key = await http.request('POST', '/v1/auth/login', undefined, {
        raw: '{"\\udc00":1,"email":"a@b.co","password":"xxxxxxxx"}',
      });
      expectValidationError(key);
    });

    it('in a JSON key', async () => {
      expectValidationError(
        await http.post('/v1/auth/login', { 'email\u0000': 'x@y.z', password: 'whatever!' }),
      );
    });
  });

  describe('access tokens with malformed claims (defect 3)', () => {
    const secret = () => api.config.auth.accessSecret;
    const forge = (claims: Record<string, unknown>, drop: string[] = []) => {
      const real = claimsOf(customer.accessToken);
      const payload: Record<string, unknown> = { ...real, ...claims };
      for (const key of drop) delete payload[key];
      return craftJwt({ alg: 'HS256', typ: 'JWT' }, payload, secret());
    };

    it('a genuine token still works (the forging is faithful)', async () => {
      expect((await http.get('/v1/auth/me', { token: forge({}) })).status).toBe(200);
    });

    it.each([
      ['sub not a uuid', { sub: 'not-a-uuid' }, []],
      ['sid not a uuid', { sid: "1' OR '1'='1" }, []],
      ['sid a number', { sid: 42 }, []],
      ['role unknown', { role: 'superuser' }, []],
      ['jti missing', {}, ['jti']],
      ['jti empty', { jti: '' }, []],
      ['exp missing', {}, ['exp']],
    ])('%s → 401', async (_name, claims, drop) => {
      const res = await http.get('/v1/auth/me', { token: forge(claims, drop) });
      expectErrorShape(res, 401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });

    it('the socket handshake refuses it without leaking database text', async () => {
      const err = await TrackingClient.connect(api.url, forge({ sub: 'not-a-uuid' })).then(
        (client) => {
          client.close();
          return new Error('connected');
        },
        (e: Error) => e,
      );
      expect(err.message).toMatch(/^Unauthorized/);
      expect(err.message).not.toMatch(/uuid|syntax/);
    });
  });

  describe('PostgreSQL connections killed mid-request (defect 4)', () => {
    /** Runs `work` while every connection of the api's database is killed every 20 ms. */
    async function whileKilling(work: () => Promise<void>): Promise<void> {
      const database = api.config.database.url.split('/').pop()!.split('?')[0];
      const killer = new DataSource({ type: 'postgres', url: process.env.FC_TEST_SERVER_URL });
      await killer.initialize();
      let killing = true;
      const kills = (async () => {
        while (killing) {
          await killer.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = $1 AND pid <> pg_backend_pid()`,
            [database],
          );
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      try {
        await work();
      } finally {
        killing = false;
        await kills;
        await killer.destroy();
        // A connection terminated by the last round may still sit idle in the api's pool until
        // PostgreSQL's goodbye arrives: the test's own checks below use that pool, so they wait
        // for a round in which every pooled connection answered (a failed one is dropped).
        const pool = api.app.get(DataSource);
        for (let round = 0; round < 20; round++) {
          const answers = await Promise.allSettled(
            Array.from({ length: PG_POOL_OPTIONS.max }, () => pool.query('SELECT pg_sleep(0.01)')),
          );
          if (answers.every((a) => a.status === 'fulfilled')) break;
        }
      }
    }

    /** Failures are 503 DATABASE_UNAVAILABLE in the error shape (or an expected code), never 500. */
    function expectOnly503(results: (HttpResult & { path: string })[], expected: number[]) {
      const failures = results.filter((r) => r.status >= 300 && !expected.includes(r.status));
      expect(failures.length).toBeGreaterThan(0);
      const unexpected = failures.filter((r) => r.status !== 503);
      expect(unexpected.map((r) => ({ path: r.path, status: r.status, body: r.body }))).toEqual([]);
      for (const res of failures) {
        expectErrorShape(res, 503);
        expect(res.body.code).toBe('DATABASE_UNAVAILABLE');
      }
    }

    it('answers 2xx, or 503 DATABASE_UNAVAILABLE in the error shape, never a bare 500', async () => {
      const results: (HttpResult & { path: string })[] = [];
      const get = async (path: string, token?: string) =>
        results.push({ path, ...(await http.get(path, { token })) });
      await whileKilling(async () => {
        const deadline = Date.now() + 3_000;
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (Date.now() < deadline) {
              await get('/v1/auth/me', customer.accessToken);
              await get(`/v1/products/${product.id}?storeId=${store.id}`);
              await get(`/v1/orders`, customer.accessToken);
            }
          }),
        );
      });
      expect(api.app.get(DataSource).isInitialized).toBe(true);
      expectOnly503(results, []);
      // and it recovers
      expect((await http.get('/v1/auth/me', { token: customer.accessToken })).status).toBe(200);
    }, 30_000);

    it('the same for writes in transactions: placements, cancels, stock adjustments', async () => {
      // A connection killed between two statements of a TypeORM transaction released its query
      // runner, and the next statement's error was a 500 (an outside test found it).
      const buyers = await Promise.all(Array.from({ length: 4 }, () => signup(http)));
      const results: (HttpResult & { path: string })[] = [];
      const post = async (path: string, body: unknown, token: string, key?: string) => {
        const res = await http.post(path, body, {
          token,
          headers: key ? { 'idempotency-key': key } : {},
        });
        results.push({ path, ...res });
        return res;
      };
      await whileKilling(async () => {
        const deadline = Date.now() + 4_000;
        await Promise.all(
          buyers.map(async (buyer) => {
            while (Date.now() < deadline) {
              const placed = await post(
                '/v1/orders',
                { items: [{ productId: product.id, quantity: 1 }], address },
                buyer.accessToken,
                randomUUID(),
              );
              if (placed.status === 201)
                await post(`/v1/orders/${placed.body.id}/cancel`, {}, buyer.accessToken);
              await post(
                `/v1/admin/stores/${store.id}/stock/${product.id}/adjustments`,
                { delta: 1, reason: 'adjustment' },
                admin.accessToken,
              );
            }
          }),
        );
      });
      // 409: an order's cap or a cancel of an order already cancelled by a retried attempt.
      expectOnly503(results, [409]);
      const [row] = await api.app.get(DataSource).query(
        `SELECT (SELECT quantity FROM store_stock WHERE store_id = $1 AND product_id = $2) AS stock,
                (SELECT COALESCE(sum(delta), 0)::int FROM stock_movements
                  WHERE store_id = $1 AND product_id = $2) AS ledger`,
        [store.id, product.id],
      );
      expect(row.stock).toBe(row.ledger);
    }, 60_000);
  });

  describe('oversized request lines and headers (defect 5)', () => {
    /** Raw node:http, since fetch refuses some of these itself. */
    function rawGet(path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
      return new Promise((resolve, reject) => {
        const url = new URL(api.url);
        const req = httpRequest(
          { host: url.hostname, port: url.port, path, headers, maxHeaderSize: 1 << 20 },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => {
              const h = new Headers();
              for (const [k, v] of Object.entries(res.headers))
                if (typeof v === 'string') h.set(k, v);
              let body: unknown = text;
              try {
                body = JSON.parse(text);
              } catch {
                // not JSON
              }
              resolve({ status: res.statusCode!, body, headers: h });
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
    }

    it('a 20 KB URL answers in the error shape with a request id', async () => {
      const res = await rawGet(`/v1/products?q=${'a'.repeat(20_000)}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectErrorShape(res, res.status);
    });

    it('a 20 KB header answers 431 in the error shape with a request id', async () => {
      const res = await rawGet('/v1/categories', { 'x-filler': 'a'.repeat(20_000) });
      expect(res.status).toBe(431);
      expect(res.body).toEqual(
        expect.objectContaining({
          statusCode: 431,
          error: 'Request Header Fields Too Large',
          message: expect.any(String),
          requestId: expect.any(String),
        }),
      );
    });
  });

  describe('empty query parameters (defect 6)', () => {
    it.each([
      '/v1/stores/serviceable?lat=&lng=',
      '/v1/stores/serviceable?lat=12.9&lng=',
      '/v1/stores/serviceable',
      '/v1/stores/serviceable?lat=%20&lng=%20',
      '/v1/stores/serviceable?lat=0x10&lng=1',
      '/v1/products?limit=0x10',
    ])('%s → 400', async (path) => {
      expectValidationError(await http.get(path));
    });

    it('an empty optional parameter is a missing one (limit= is the default page)', async () => {
      const res = await http.get('/v1/products?limit=&q=');
      expect(res.status).toBe(200);
    });
  });

  describe('found by the fuzzer', () => {
    it('an order without an address → 400 naming it (was a TypeError, 500)', async () => {
      const res = await order({ items: [{ productId: product.id, quantity: 1 }] });
      expectValidationError(res);
      expect(JSON.stringify(res.body.message)).toContain('address');
    });

    it('null for a field that may only be left out → 400 (was a NOT NULL violation, 500)', async () => {
      const victim = await signup(http, 'victim');
      for (const body of [{ role: null }, { disabled: null }]) {
        expectValidationError(
          await http.patch(`/v1/admin/users/${victim.id}`, body, { token: admin.accessToken }),
        );
      }
      expectValidationError(
        await http.patch(
          `/v1/admin/products/${product.id}`,
          { name: null },
          { token: admin.accessToken },
        ),
      );
      // null stays a value where it is documented: a product's image is cleared with null
      const cleared = await http.patch(
        `/v1/admin/products/${product.id}`,
        { imageUrl: null },
        { token: admin.accessToken },
      );
      expect(cleared.status).toBe(200);
    });
  });

  describe('routes outside the REST API answer in the error shape too (defect 9)', () => {
    // Pages and the webhook are plain Fastify routes, mounted before Nest installed its error
    // handler: they answered in Fastify's default body (no code, no request id).
    it.each([
      '/admin/board%00',
      '/admin/board?x=%00',
      '/admin/orders?x=%00',
      '/track?x=%00',
      '/track/a%00b',
      '/admin/login?next=%00',
    ])('NUL in %s → 400 VALIDATION_FAILED', async (path) => {
      expectValidationError(await http.get(path));
    });

    it('a body their parsers refuse: malformed JSON (400), an unknown media type (415)', async () => {
      for (const path of ['/admin/login', '/admin/logout', '/admin/session/token']) {
        expectValidationError(await http.request('POST', path, undefined, { raw: '{"a":' }));
        const xml = await http.request('POST', path, undefined, {
          raw: '<a/>',
          headers: { 'content-type': 'application/xml' },
        });
        expectErrorShape(xml, 415);
        expect(xml.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
    });
  });

  describe('a body refused before any route sees it (defect 10)', () => {
    const over = (limit: number) => JSON.stringify({ blob: 'x'.repeat(limit) });

    it("the payment webhook's own limit (256 kB): 413 PAYLOAD_TOO_LARGE, whatever the type", async () => {
      for (const type of ['application/json', 'text/plain']) {
        const res = await http.request('POST', '/v1/payments/webhooks/stripe', undefined, {
          raw: over(256 * 1024),
          headers: { 'content-type': type, 'stripe-signature': 't=1,v1=00' },
        });
        expectErrorShape(res, 413);
        expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      }
    });

    it('BODY_LIMIT on the pages and the REST API (where openapi.json documents it): 413 PAYLOAD_TOO_LARGE', async () => {
      const raw = over(api.config.http.bodyLimit);
      for (const [method, path] of [
        ['POST', '/admin/login'],
        ['POST', '/admin/logout'],
        ['POST', '/track/session/token'],
        ['POST', '/v1/auth/login'],
        ['POST', '/v1/auth/logout-all'],
        ['DELETE', '/v1/cart'],
      ]) {
        const res = await http.request(method!, path!, undefined, {
          raw,
          token: customer.accessToken,
        });
        expectErrorShape(res, 413);
        expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      }
    });

    it('a body that is not JSON on the REST API: 415 UNSUPPORTED_MEDIA_TYPE, documented', async () => {
      const res = await http.request('POST', '/v1/auth/login', undefined, {
        raw: '<login/>',
        headers: { 'content-type': 'application/xml' },
      });
      expectErrorShape(res, 415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('a body on a route that takes none (defect 11)', () => {
    it('is refused exactly on the operations openapi.json documents without a body', async () => {
      // Its own users: logout-all must not end the suite's sessions if a body were ignored.
      const tokens = {
        admin: (await userWithRole(api.app, http, 'admin')).accessToken,
        rider: (await userWithRole(api.app, http, 'rider')).accessToken,
        customer: (await signup(http, 'no-body')).accessToken,
      };
      const NO_BODY = ['this route takes no body (send none, or {})'];
      const writes = operations().filter((op) => op.method !== 'GET');
      expect(writes.filter((op) => !op.requestBody).length).toBeGreaterThan(5);
      for (const op of writes) {
        const path = op.path.replace(/\{\w+\}/g, randomUUID());
        const token = op.path.startsWith('/v1/admin')
          ? tokens.admin
          : op.path.startsWith('/v1/rider')
            ? tokens.rider
            : tokens.customer;
        // Never a body a route takes: an unknown field, or no object at all (`""` is a value).
        for (const raw of ['{"unexpected":"x"}', '[]', '"x"', '""', '1']) {
          const res = await http.request(op.method, path, undefined, { raw, token });
          const what = { op: `${op.method} ${op.path}`, raw };
          expect({ ...what, status: res.status }).toEqual({ ...what, status: 400 });
          expectValidationError(res);
          if (op.requestBody)
            expect({ ...what, message: res.body.message }).not.toEqual({
              ...what,
              message: NO_BODY,
            });
          else
            expect({ ...what, message: res.body.message }).toEqual({ ...what, message: NO_BODY });
        }
      }
    });

    it('accepts none, an empty one, {} and null (nothing to send)', async () => {
      const user = await signup(http, 'no-body-ok');
      const token = user.accessToken;
      expect((await http.delete('/v1/cart', { token })).status).toBe(200);
      expect((await http.request('DELETE', '/v1/cart', {}, { token })).status).toBe(200);
      const empty = await http.request('DELETE', '/v1/cart', undefined, {
        raw: '',
        token,
        headers: { 'content-type': 'text/plain' },
      });
      expect(empty.status).toBe(200);
      expect((await http.request('DELETE', '/v1/cart', null, { token })).status).toBe(200);
      expect((await http.post('/v1/auth/logout-all', {}, { token })).status).toBe(204);
    });
  });

  describe('responses match openapi.json (defect 7)', () => {
    it("an order's timeline, whose first event has fromStatus null", async () => {
      const placed = await placeOrder(http, customer.accessToken, {
        productId: product.id,
        quantity: 1,
        address,
      });
      expect(placed.status).toBe(201);
      const events = await http.get(`/v1/orders/${placed.body.id}/events`, {
        token: customer.accessToken,
      });
      expect(events.status).toBe(200);
      expect(events.body[0].fromStatus).toBeNull();
      expect(validateResponse('get', '/v1/orders/{id}/events', events.status, events.body)).toEqual(
        [],
      );
      const full = await http.get(`/v1/orders/${placed.body.id}`, { token: customer.accessToken });
      expect(validateResponse('get', '/v1/orders/{id}', full.status, full.body)).toEqual([]);
    });
  });
});

describe('robustness: a Redis outage under authenticated traffic (defect 8)', () => {
  let redis: PrivateRedis;
  let a: RunningApp;
  let b: RunningApp;
  let httpA: HttpClient;
  let httpB: HttpClient;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    [a, b] = await Promise.all([
      startApi({ REDIS_URL: redis.url }),
      startApi({ REDIS_URL: redis.url }),
    ]);
    httpA = new HttpClient(a.url);
    httpB = new HttpClient(b.url);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.destroy();
  });

  const me = (http: HttpClient, token: string) => http.get('/v1/auth/me', { token });

  it('no request waits on Redis, one line each way, and a logout holds on every instance', async () => {
    const user = await signup(httpA);
    const other = await httpA.post('/v1/auth/login', {
      email: user.email,
      password: user.password,
    });
    expect(other.status).toBe(200);
    // Both instances now remember both sessions as live.
    for (const token of [user.accessToken, other.body.accessToken])
      for (const http of [httpA, httpB]) expect((await me(http, token)).status).toBe(200);
    const lines = (spy: { mock: { calls: unknown[][] } }) =>
      spy.mock.calls.filter((args) =>
        args.some((x) => typeof x === 'string' && /auth-changed channel/.test(x)),
      );
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const log = jest.spyOn(Logger.prototype, 'log');
    try {
      await redis.stop();
      const started = Date.now();
      for (let i = 0; i < 20; i++) expect((await me(httpB, user.accessToken)).status).toBe(200);
      // Before the breaker: every request waited out the 1 s command timeout (20 s here).
      expect(Date.now() - started).toBeLessThan(3_000);

      // A logout on A during the outage, which B cannot hear of: B refuses the token at once
      // all the same (it trusts nothing it remembered while unsubscribed).
      expect(
        (await httpA.post('/v1/auth/logout', {}, { token: other.body.accessToken })).status,
      ).toBe(204);
      expectErrorShape(await me(httpA, other.body.accessToken), 401);
      expectErrorShape(await me(httpB, other.body.accessToken), 401);
      expect(lines(warn)).toHaveLength(2); // one per instance

      await redis.start();
      const deadline = Date.now() + 15_000;
      while (lines(log).length < 2 && Date.now() < deadline) {
        expect((await me(httpB, user.accessToken)).status).toBe(200);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(lines(log)).toHaveLength(2);
      expect(lines(warn)).toHaveLength(2);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }

    // Subscribed again: a logout on A reaches B's memory too.
    expect((await me(httpB, user.accessToken)).status).toBe(200); // remembered by B
    expect((await httpA.post('/v1/auth/logout', {}, { token: user.accessToken })).status).toBe(204);
    await new Promise((r) => setTimeout(r, 50));
    expectErrorShape(await me(httpB, user.accessToken), 401);
  }, 60_000);
});
