import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthService, SESSION_COOKIE } from '#libs/auth';
import { startApi, type RunningApp } from './harness/apps.js';
import { CatalogFactory, north } from './harness/catalog-factory.js';
import { placeOrder, signup, userWithRole, type TestUser } from './harness/factories.js';
import {
  concretePath,
  HOLDS,
  requestsFor,
  requirementOf,
  type FuzzRequest,
  type FuzzWorld,
  type Principal,
} from './harness/fuzz-requests.js';
import { HttpClient, type HttpResult } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
import { craftJwt } from './harness/jwt.js';
import { openApiDocument, operations, validateResponse } from './harness/openapi.js';
import { pathVariants, rawRequest } from './harness/raw-request.js';

/**
 * Hostile input generated from openapi.json for every operation (design.md, "Tests"): valid
 * requests and mutations of every part of them. Never a 5xx; every error in the one error shape;
 * every response valid against the document for its (documented) status; and the database's
 * invariants hold afterwards. `make test` runs a fixed budget; `make fuzz` runs FUZZ_SECONDS.
 * A failure replays with the printed FUZZ_SEED.
 */
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 30);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const BATCH = 40;
const CONCURRENCY = 4;

describe('fuzzing every operation of openapi.json', () => {
  let database: IsolatedDatabase;
  let api: RunningApp;
  let http: HttpClient;
  let db: DataSource;
  let world: FuzzWorld;
  const users = {} as Record<'customerA' | 'customerB' | 'admin' | 'rider', TestUser>;
  let forged: string;

  beforeAll(async () => {
    console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_SECONDS=${SECONDS}`);
    // Its own database: the invariants checked at the end are about what the fuzzer did, and
    // other suites change rows behind the app's back on purpose (outage tests).
    database = await isolatedDatabase();
    api = await startApi({
      DATABASE_URL: database.url,
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100000',
      // So that /metrics is a guarded route of the route table walk.
      METRICS_TOKEN: 'fuzz-metrics-token-0123456789abcdef',
    });
    http = new HttpClient(api.url);
    db = api.app.get(DataSource);
    users.admin = await userWithRole(api.app, http, 'admin');
    users.rider = await userWithRole(api.app, http, 'rider');
    users.customerA = await signup(http, 'fuzz-a');
    users.customerB = await signup(http, 'fuzz-b');
    const victim = await signup(http, 'fuzz-victim');
    // Validly signed, claims of customer A, but a session that does not exist.
    forged = craftJwt(
      { alg: 'HS256', typ: 'JWT' },
      {
        sub: users.customerA.id,
        sid: randomUUID(),
        role: 'admin',
        jti: randomUUID(),
        iss: api.config.auth.issuer,
        aud: api.config.auth.audience,
        exp: Math.floor(Date.now() / 1000) + 600,
      },
      api.config.auth.accessSecret,
    );
    const make = new CatalogFactory(http, users.admin.accessToken);
    const category = await make.category();
    const store = await make.store({ opensAt: '00:00', closesAt: '00:00' });
    const products: { id: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const product = await make.product({ categoryId: category.id, maxPerOrder: 100 });
      await make.stock(store.id, product.id, 100_000);
      products.push(product);
    }
    const spot = north({ lat: store.latitude, lng: store.longitude }, 300);
    const address = { line1: '1 Fuzz Road', city: 'Bengaluru', pincode: '560038', ...spot };
    const ordersOf = async (user: TestUser) => {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await placeOrder(http, user.accessToken, {
          productId: products[i]!.id,
          quantity: 1,
          address,
        });
        if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
        ids.push(res.body.id);
      }
      return ids;
    };
    world = {
      productIds: products.map((p) => p.id),
      storeIds: [store.id],
      categoryIds: [category.id],
      riderId: users.rider.id,
      victimUserId: victim.id,
      ordersOfA: await ordersOf(users.customerA),
      ordersOfB: await ordersOf(users.customerB),
      storeLat: spot.lat,
      storeLng: spot.lng,
    };
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  function tokenOf(principal: Principal): string | undefined {
    if (principal === 'none') return undefined;
    if (principal === 'forged') return forged;
    return users[principal].accessToken;
  }

  /** A request's token may have been logged out by an earlier request: log in again. */
  async function revive(): Promise<void> {
    for (const name of ['customerA', 'customerB', 'admin', 'rider'] as const) {
      const user = users[name];
      if ((await http.get('/v1/auth/me', { token: user.accessToken })).status === 200) continue;
      const login = await http.post('/v1/auth/login', {
        email: user.email,
        password: user.password,
      });
      if (login.status !== 200) throw new Error(`re-login of ${name}: ${login.status}`);
      users[name] = { ...user, ...login.body };
    }
  }

  function problemsOf(req: FuzzRequest, res: HttpResult): string[] {
    const problems: string[] = [];
    if (res.status >= 500) problems.push(`5xx`);
    if (res.status >= 400) {
      const b = res.body as Record<string, unknown>;
      const shaped =
        typeof b === 'object' &&
        b !== null &&
        b.statusCode === res.status &&
        typeof b.error === 'string' &&
        (typeof b.message === 'string' || Array.isArray(b.message)) &&
        typeof b.requestId === 'string' &&
        b.requestId === res.headers.get('x-request-id') &&
        (b.code === undefined || typeof b.code === 'string');
      if (!shaped) problems.push('not in the error shape');
    }
    problems.push(...validateResponse(req.method, req.template, res.status, res.body));
    if (req.foreignOrder && res.status < 300) problems.push("another customer's order answered");
    // A body on an operation documented without one is refused (nothing to send aside).
    const documentsBody =
      !!openApiDocument.paths[req.template]?.[req.method.toLowerCase()]?.requestBody;
    const sentBody = req.body !== undefined && !['', '{}', 'null'].includes(req.body);
    if (!documentsBody && sentBody && res.status < 300)
      problems.push('a body taken by an operation documented without one');
    return problems;
  }

  it(
    'never answers 5xx, always the error shape, always what openapi.json documents',
    async () => {
      const ops = operations();
      const arbitrary = fc.oneof(...ops.map((op) => requestsFor(op, world)));
      const statuses = new Map<number, number>();
      const failures: {
        request: FuzzRequest;
        status: number;
        body: unknown;
        problems: string[];
      }[] = [];
      const started = Date.now();
      let tried = 0;
      let fiveXX = 0;
      for (let batch = 0; Date.now() - started < SECONDS * 1000; batch++) {
        const requests = fc.sample(arbitrary, { seed: SEED + batch, numRuns: BATCH });
        let next = 0;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < requests.length) {
              const req = requests[next++]!;
              const res = await http.request(req.method, req.url, undefined, {
                token: tokenOf(req.principal),
                headers: req.headers,
                raw: req.body,
              });
              tried++;
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              if (res.status >= 500) fiveXX++;
              const problems = problemsOf(req, res);
              if (problems.length > 0 && failures.length < 50) {
                failures.push({ request: req, status: res.status, body: res.body, problems });
              }
            }
          }),
        );
        await revive();
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const counts = [...statuses.entries()].sort(([a], [b]) => a - b);
      console.log(
        `fuzz: FUZZ_SEED=${SEED}: ${tried} requests in ${seconds} s over ${ops.length} operations; ` +
          `statuses ${counts.map(([s, n]) => `${s}:${n}`).join(' ')}; 5xx found: ${fiveXX}`,
      );
      const seen = new Set<string>();
      const distinct = failures.filter((f) => {
        const key = `${f.request.method} ${f.request.template} ${f.status} ${f.problems.join()}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });
      expect(
        distinct.map((f) => ({
          request: { ...f.request, body: f.request.body?.slice(0, 300) },
          status: f.status,
          body: JSON.stringify(f.body).slice(0, 400),
          problems: f.problems.slice(0, 5),
        })),
      ).toEqual([]);
    },
    (SECONDS + 120) * 1000,
  );

  /**
   * openapi.json names only the REST API: the queue board, the pages, the docs and /metrics are
   * routes too (issue 23: the queue board answered `/admin/%71ueues/api/queues` to anyone). So
   * every route in Fastify's route table, in every spelling of its path, is sent without
   * credentials and with a customer's token and page session: no 2xx where the route requires
   * what the caller does not hold, and never a 5xx.
   */
  it('walks every route the server registers: no 2xx without the role, however spelled', async () => {
    const walker = await signup(http, 'fuzz-walker');
    const session = await api.app.get(AuthService).loginToPages(walker.email, walker.password);
    const credentials: Record<keyof typeof HOLDS, Record<string, string>> = {
      anonymous: {},
      customer: {
        authorization: `Bearer ${walker.accessToken}`,
        cookie: `${SESSION_COOKIE}=${session.cookie}`,
        'sec-fetch-site': 'same-origin',
        origin: api.url,
      },
    };
    const routes = [...new Map(api.routes.map((r) => [`${r.method} ${r.url}`, r])).values()];
    // A new route must say what it requires (openapi.json, or NON_API_ROUTES in fuzz-requests.ts).
    expect(routes.filter((r) => !requirementOf(r)).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    for (const url of ['/admin/queues/*', '/admin/board', '/track/:orderId', '/docs', '/metrics'])
      expect(routes.map((r) => r.url)).toContain(url);

    type Probe = { who: string; holds: boolean; method: string; path: string; kind: string };
    const probes: Probe[] = [];
    for (const route of routes) {
      const requirement = requirementOf(route)!;
      const path = concretePath(route.url, randomUUID());
      for (const who of Object.keys(credentials) as (keyof typeof HOLDS)[]) {
        const holds = HOLDS[who].includes(requirement);
        // What the customer may do is the fuzzer's business above (and may log it out).
        if (holds && who !== 'anonymous') continue;
        const spellings = holds ? [] : pathVariants(path);
        for (const { kind, path: spelled } of [{ kind: 'canonical', path }, ...spellings])
          probes.push({ who, holds, method: route.method, path: spelled, kind });
      }
    }
    const problems: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY * 2 }, async () => {
        while (next < probes.length) {
          const probe = probes[next++]!;
          const body = ['POST', 'PUT', 'PATCH'].includes(probe.method) ? '{}' : undefined;
          const res = await rawRequest(api.url, probe.method, probe.path, {
            headers: credentials[probe.who as keyof typeof HOLDS],
            body,
          });
          const what = `${probe.who}: ${probe.method} ${probe.path} (${probe.kind}) -> ${res.status}`;
          if (res.status >= 500) problems.push(`5xx: ${what}`);
          if (!probe.holds && res.status >= 200 && res.status < 300) problems.push(`2xx: ${what}`);
        }
      }),
    );
    console.log(`route walk: ${routes.length} routes, ${probes.length} requests`);
    expect(problems.slice(0, 50)).toEqual([]);
  }, 120_000);

  it('someone else’s order is a 404 on every route that takes an order id', async () => {
    await revive();
    const [orderOfA] = world.ordersOfA;
    const token = users.customerB.accessToken;
    for (const res of [
      await http.get(`/v1/orders/${orderOfA}`, { token }),
      await http.get(`/v1/orders/${orderOfA}/events`, { token }),
      await http.post(`/v1/orders/${orderOfA}/cancel`, {}, { token }),
    ]) {
      expect(res.status).toBe(404);
    }
  });

  it('leaves the database consistent: the stock ledger and every order’s timeline', async () => {
    // Every change of store_stock has its stock_movements row: the sum of a product's movements
    // at a store is its quantity, and each row's quantity_after follows from the previous one.
    const ledger = await db.query(`
      SELECT s.store_id, s.product_id, s.quantity, COALESCE(SUM(m.delta), 0)::int AS moved
        FROM store_stock s
        LEFT JOIN stock_movements m ON m.store_id = s.store_id AND m.product_id = s.product_id
       GROUP BY s.store_id, s.product_id, s.quantity
      HAVING s.quantity <> COALESCE(SUM(m.delta), 0)`);
    expect(ledger).toEqual([]);
    const negative = await db.query(`SELECT * FROM store_stock WHERE quantity < 0`);
    expect(negative).toEqual([]);
    // Every order has its first event, and seq runs 1..n without gaps.
    const timelines = await db.query(`
      SELECT o.id, MIN(e.seq) AS first, MAX(e.seq) AS last, COUNT(e.seq)::int AS n
        FROM orders o LEFT JOIN order_events e ON e.order_id = o.id
       GROUP BY o.id
      HAVING MIN(e.seq) IS DISTINCT FROM 1 OR MAX(e.seq) <> COUNT(e.seq)`);
    expect(timelines).toEqual([]);
    const [{ orders }] = await db.query(`SELECT COUNT(*)::int AS orders FROM orders`);
    expect(orders).toBeGreaterThanOrEqual(4);
  });
});
