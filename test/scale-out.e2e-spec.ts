import { Test, type TestingModule } from '@nestjs/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { promisify } from 'node:util';
import { AuthModule } from '#libs/auth';
import { APP_CONFIG, ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/database';
import { RedisModule } from '#libs/redis';
import { AppProcess } from './harness/app-process.js';
import { testConfig } from './harness/apps.js';
import { Balancer } from './harness/balancer.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import {
  placeOrder,
  signup,
  uniqueEmail,
  userWithRole,
  type TestUser,
} from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';
import { onShiftAt } from './harness/rider-shift.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
import { PrivateRedis } from './harness/redis-server.js';
import { TrackingClient } from './harness/tracking-client.js';

/**
 * Scale-out as operators run it (docs/operations.md): two api processes behind HAProxy with the
 * shipped docker/haproxy.cfg (scripts/balancer.sh run), socket.io clients on their default
 * transports (long-polling, then an upgrade to websocket).
 */

/** socket.io's default transports, as a browser connects; `withCredentials` gives a Node client
 * the cookie jar that keeps its polling requests on one instance (the sticky cookie). */
const DEFAULT_TRANSPORTS = { transports: ['polling', 'websocket'], withCredentials: true };
const IP_LIMIT = 25;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The sum of a Prometheus metric's samples on one instance (read from it, not the balancer). */
async function metric(api: AppProcess, name: string, label = ''): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.match(/^[^\s{]+/)?.[0] === name && line.includes(label))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
const served = (api: AppProcess, route: string) =>
  metric(api, 'flashcart_http_request_duration_seconds_count', `route="${route}"`);
const sockets = (api: AppProcess) => metric(api, 'flashcart_websocket_connections');

describe('scale-out: two api processes behind HAProxy (docker/haproxy.cfg)', () => {
  let database: IsolatedDatabase;
  let apis: AppProcess[];
  let balancer: Balancer;
  let http: HttpClient;
  let admin: TestUser;
  let rider: TestUser;
  /** A second rider: the first still carries the earlier test's order (one store at a time). */
  let secondRider: TestUser;
  let make: CatalogFactory;
  const clients: TrackingClient[] = [];

  beforeAll(async () => {
    database = await isolatedDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_lb`,
      // The balancer's network, as docker-compose.yml trusts its private one (uniquelocal).
      TRUST_PROXY: 'loopback',
      AUTH_RATE_LIMIT_IP: String(IP_LIMIT),
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100',
    };
    apis = await Promise.all([AppProcess.start('api', env), AppProcess.start('api', env)]);
    balancer = await Balancer.start(apis.map((api) => api.port));
    http = new HttpClient(balancer.url);
    let users: TestingModule | undefined;
    try {
      users = await Test.createTestingModule({
        imports: [ConfigModule, DatabaseModule, RedisModule, AuthModule],
      })
        .overrideProvider(APP_CONFIG)
        .useValue(testConfig(env))
        .compile();
      admin = await userWithRole(users, http, 'admin');
      rider = await userWithRole(users, http, 'rider');
      secondRider = await userWithRole(users, http, 'rider');
    } finally {
      await users?.close();
    }
    make = new CatalogFactory(http, admin.accessToken);
  }, 60_000);
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await balancer?.stop();
    for (const api of apis ?? []) {
      if (api.child.exitCode === null && api.child.signalCode === null) api.kill('SIGTERM');
      await api.exited;
    }
    await database?.drop();
  });

  async function newOrder() {
    const { product, address } = await make.stockedStore(10);
    const customer = await signup(http);
    const res = await placeOrder(http, customer.accessToken, {
      productId: product.id,
      quantity: 1,
      address,
    });
    expect(res.status).toBe(201);
    return { order: res.body, customer };
  }

  async function move(via: HttpClient, orderId: string, body: object) {
    const res = await via.post(`/v1/admin/orders/${orderId}/transitions`, body, {
      token: admin.accessToken,
    });
    expect(res.status).toBe(200);
  }

  async function connect(token: string, options: object = {}) {
    const client = await TrackingClient.connect(balancer.url, token, {
      ...DEFAULT_TRANSPORTS,
      ...options,
    });
    clients.push(client);
    return client;
  }

  /**
   * Subscribes from the start, and again after every reconnection from the last seq seen, as a
   * client should. Returns what those re-subscriptions asked and were answered.
   */
  async function follow(client: TrackingClient, orderId: string) {
    const resubscribed: { afterSeq: number; ack: any }[] = [];
    const lastSeq = () => client.events.filter((e) => e.orderId === orderId).at(-1)?.seq ?? 0;
    client.socket.on('connect', () => {
      const afterSeq = lastSeq();
      void client.emit('subscribe', { orderId, afterSeq }).then((ack) => {
        resubscribed.push({ afterSeq, ack });
      });
    });
    expect(await client.emit('subscribe', { orderId, afterSeq: 0 })).toMatchObject({ ok: true });
    return resubscribed;
  }

  /** The moves a client received (the offer made when the rider goes on shift is not one). */
  const seqsAndStatuses = (client: TrackingClient, orderId: string) =>
    client.events
      .filter((e) => e.orderId === orderId && e.type !== 'order.rider_offered')
      .map((e) => [e.seq, e.status]);

  it('runs the configuration docker compose ships, which is valid as compose runs it too', async () => {
    const { stdout } = await promisify(execFile)('scripts/balancer.sh', ['check']);
    expect(stdout).toContain('docker/haproxy.cfg is valid');
  });

  it('serves REST through the balancer from both instances; its cookie keeps a client on one', async () => {
    const route = '/v1/products';
    const before = await Promise.all(apis.map((api) => served(api, route)));
    for (const _ of range(6)) expect((await http.get(`${route}?limit=1`)).status).toBe(200);
    const spread = await Promise.all(
      apis.map(async (api, i) => (await served(api, route)) - before[i]),
    );
    expect(spread[0] + spread[1]).toBe(6);
    expect(Math.min(...spread)).toBeGreaterThan(0); // round robin: 3 and 3 unless a check failed

    const first = await fetch(`${balancer.url}${route}?limit=1`);
    const cookie = first.headers
      .getSetCookie()
      .find((c) => c.startsWith('FCSRV='))
      ?.split(';')[0];
    expect(cookie).toMatch(/^FCSRV=\w+$/);
    const pinned = await Promise.all(apis.map((api) => served(api, route)));
    for (const _ of range(4)) {
      const res = await fetch(`${balancer.url}${route}?limit=1`, { headers: { cookie: cookie! } });
      expect(res.status).toBe(200);
    }
    const after = await Promise.all(
      apis.map(async (api, i) => (await served(api, route)) - pinned[i]),
    );
    expect(after.sort()).toEqual([0, 4]);
  });

  it('delivers every event to default-transport clients on either instance, whichever instance committed it', async () => {
    const { order, customer } = await newOrder();
    const watchers = await Promise.all(range(4).map(() => connect(customer.accessToken)));
    for (const watcher of watchers) await follow(watcher, order.id);
    await until('every client upgraded', () => watchers.every((w) => w.transports.length === 2));
    for (const watcher of watchers) expect(watcher.transports).toEqual(['polling', 'websocket']);
    const spread = await Promise.all(apis.map(sockets));
    expect(spread[0] + spread[1]).toBe(4);
    expect(Math.min(...spread)).toBeGreaterThan(0);

    // Each change through one named instance; the clients of the other get it too.
    await move(new HttpClient(apis[0].url), order.id, { to: 'PACKED' });
    await onShiftAt(http, rider, order.storeId); // offers it the order: seq 3, order.rider_offered
    await move(new HttpClient(apis[1].url), order.id, {
      to: 'OUT_FOR_DELIVERY',
      riderId: rider.id,
    });
    for (const watcher of watchers) {
      await watcher.eventsOf(order.id, 4);
      expect(seqsAndStatuses(watcher, order.id)).toEqual([
        [1, 'PLACED'],
        [2, 'PACKED'],
        [4, 'OUT_FOR_DELIVERY'],
      ]);
    }
  });

  it('needs the cookie: a long-polling client without a cookie jar loses its session', async () => {
    const customer = await signup(http);
    const outcome = await TrackingClient.connect(balancer.url, customer.accessToken, {
      transports: ['polling', 'websocket'],
    }).then(
      (client) => {
        clients.push(client);
        return new Promise<string>((resolve) => {
          const kept = setTimeout(() => resolve('kept its session'), 5_000);
          client.socket.once('disconnect', (reason) => {
            clearTimeout(kept);
            resolve(`disconnected: ${reason}`);
          });
        });
      },
      (err: Error) => `refused: ${err.message}`,
    );
    expect(outcome).not.toBe('kept its session');
  });

  it('limits sign-in attempts per client address, which the balancer forwards and no client can forge', async () => {
    const attempt = (from: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ email: uniqueEmail('lb'), password: 'wrong password!' });
        const req = httpRequest(
          `${balancer.url}/v1/auth/login`,
          {
            method: 'POST',
            localAddress: from,
            headers: { 'content-type': 'application/json', ...headers },
          },
          (res) => res.resume().on('end', () => resolve(res.statusCode!)),
        );
        req.on('error', reject);
        req.end(body);
      });
    const allowed = await Promise.all(range(IP_LIMIT).map(() => attempt('127.0.0.2')));
    expect(allowed).toEqual(range(IP_LIMIT).map(() => 401));
    expect(await attempt('127.0.0.2')).toBe(429);
    expect(await attempt('127.0.0.2', { 'x-forwarded-for': '203.0.113.7' })).toBe(429);
    expect(await attempt('127.0.0.3')).toBe(401);
  });

  it('moves the clients of a killed instance to the live one; they miss no event committed meanwhile', async () => {
    const { order, customer } = await newOrder();
    // socket.io's own reconnection, held at the handshake's auth until the test lets it finish,
    // so that what a client missed was certainly committed while it was away.
    let away = Promise.resolve();
    let comeBack = () => {};
    const watchers = await Promise.all(
      range(6).map(() =>
        connect(customer.accessToken, {
          reconnection: true,
          reconnectionDelay: 100,
          reconnectionDelayMax: 500,
          auth: (send: (auth: object) => void) =>
            void away.then(() => send({ token: customer.accessToken })),
        }),
      ),
    );
    const resubscriptions = [];
    for (const watcher of watchers) resubscriptions.push(await follow(watcher, order.id));
    await until('every client upgraded', () => watchers.every((w) => w.transports.length === 2));
    await until('only these clients are connected', async () => {
      const counts = await Promise.all(apis.map(sockets));
      return counts[0] + counts[1] === watchers.length;
    });
    const onKilled = await sockets(apis[1]);
    expect(onKilled).toBeGreaterThan(0);
    // The sticky cookies of both instances, as browsers keep them.
    const cookies = new Set<string>();
    await until('both cookies are known', async () => {
      const res = await fetch(`${balancer.url}/health/ready`);
      for (const c of res.headers.getSetCookie()) cookies.add(c.split(';')[0]);
      return cookies.size === 2;
    });

    away = new Promise((resolve) => (comeBack = resolve));
    apis[1].kill('SIGKILL');
    await apis[1].exited;
    // Before any health check notices: a request carrying the dead instance's cookie is sent to
    // the live one (redispatch), and so is every new one.
    for (const cookie of cookies) {
      const res = await fetch(`${balancer.url}/health/ready`, { headers: { cookie } });
      expect(res.status).toBe(200);
    }
    // Committed while the killed instance's clients are away.
    await move(http, order.id, { to: 'PACKED' });
    await onShiftAt(http, secondRider, order.storeId);
    await move(http, order.id, { to: 'OUT_FOR_DELIVERY', riderId: secondRider.id });
    comeBack();
    await until('every client is on the live instance', async () => {
      return (await sockets(apis[0])) === watchers.length;
    });
    const delivered = await http.post(
      `/v1/rider/orders/${order.id}/transitions`,
      { to: 'DELIVERED' },
      { token: secondRider.accessToken },
    );
    expect(delivered.status).toBe(200);

    for (const watcher of watchers) {
      await watcher.eventsOf(order.id, 5, 20_000);
      expect(seqsAndStatuses(watcher, order.id)).toEqual([
        [1, 'PLACED'],
        [2, 'PACKED'],
        [4, 'OUT_FOR_DELIVERY'],
        [5, 'DELIVERED'],
      ]);
    }
    // Those that were on the killed instance reconnected (polling, then websocket again) and
    // caught up from the timeline: the events 2 to 4 they missed came in the replay.
    const reconnected = watchers.filter((w) => w.transports.length > 2);
    expect(reconnected).toHaveLength(onKilled);
    for (const watcher of reconnected) {
      expect(watcher.transports).toEqual(['polling', 'websocket', 'polling', 'websocket']);
      expect(resubscriptions[watchers.indexOf(watcher)]).toEqual([
        {
          afterSeq: 1,
          ack: { ok: true, order: { id: order.id, status: 'OUT_FOR_DELIVERY', seq: 4 } },
        },
      ]);
    }
  }, 60_000);
});

/**
 * What the balancer's check means (docs/operations.md, "Health"): an instance is taken out when it
 * cannot serve or is stopping, not when Redis is down (issue 23, defects 2 and 10). Clients keep
 * placing orders through HAProxy meanwhile and must never get its 503.
 */
describe('scale-out: Redis down, and an api stopping, behind HAProxy', () => {
  const DRAIN_MS = 5_000;
  let database: IsolatedDatabase;
  let redis: PrivateRedis;
  let apis: AppProcess[];
  let balancer: Balancer;
  let customers: TestUser[];
  let order: { productId: string; quantity: number; address: object };

  beforeAll(async () => {
    database = await isolatedDatabase();
    redis = await PrivateRedis.start();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_drain`,
      TRUST_PROXY: 'loopback',
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100000',
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    };
    apis = await Promise.all([AppProcess.start('api', env), AppProcess.start('api', env)]);
    balancer = await Balancer.start(apis.map((api) => api.port));
    const http = new HttpClient(balancer.url);
    let users: TestingModule | undefined;
    let admin: TestUser;
    try {
      users = await Test.createTestingModule({
        imports: [ConfigModule, DatabaseModule, RedisModule, AuthModule],
      })
        .overrideProvider(APP_CONFIG)
        .useValue(testConfig(env))
        .compile();
      admin = await userWithRole(users, http, 'admin');
    } finally {
      await users?.close();
    }
    // Every answer must be 201 for as long as the scenarios run: on a fast machine they place more
    // than the factory's 1,000 open orders, and the store answered STORE_BUSY.
    const { product, address } = await new CatalogFactory(http, admin.accessToken).stockedStore(
      1_000_000,
      { maxOpenOrders: 10_000 },
    );
    order = { productId: product.id, quantity: 1, address };
    customers = await Promise.all(range(4).map(() => signup(http)));
  }, 60_000);
  afterAll(async () => {
    await balancer?.stop();
    for (const api of apis ?? []) {
      if (api.child.exitCode === null && api.child.signalCode === null) api.kill('SIGKILL');
      await api.exited;
    }
    await redis?.destroy();
    await database?.drop();
  });

  /** Each customer places orders through the balancer, one after another, until `over()`. */
  async function placeOrdersUntil(over: () => boolean) {
    const answers: { status: number; body: string }[] = [];
    await Promise.all(
      customers.map(async (customer) => {
        while (!over()) {
          try {
            const res = await fetch(`${balancer.url}/v1/orders`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${customer.accessToken}`,
                'idempotency-key': randomUUID(),
                'content-type': 'application/json',
              },
              body: JSON.stringify({
                items: [{ productId: order.productId, quantity: order.quantity }],
                address: order.address,
              }),
            });
            answers.push({ status: res.status, body: (await res.text()).slice(0, 120) });
          } catch (err) {
            // The connection failed (status 0): what a client sees when a stopping api drops it.
            answers.push({ status: 0, body: String((err as Error).cause ?? err) });
          }
        }
      }),
    );
    return answers;
  }

  const unexpected = (answers: { status: number; body: string }[]) =>
    answers.filter((a) => a.status !== 201);

  it('keeps every api in while Redis is down: orders are placed, the balancer answers no 503', async () => {
    await redis.stop();
    // Longer than the balancer needs to take an instance out (inter 2 s, then fastinter 1 s).
    const outage = Date.now() + 8_000;
    const answers = await placeOrdersUntil(() => Date.now() > outage);
    const probes = await Promise.all(
      apis.map(async (api) => {
        const serving = await fetch(`${api.url}/health/serving`);
        const ready = await fetch(`${api.url}/health/ready`);
        return { serving: serving.status, body: await serving.text(), ready: ready.status };
      }),
    );
    await redis.start();

    expect(answers.length).toBeGreaterThan(20);
    expect(unexpected(answers)).toEqual([]);
    for (const probe of probes) {
      expect(probe.serving).toBe(200);
      expect(JSON.parse(probe.body)).toMatchObject({
        status: 'degraded',
        checks: { database: { status: 'up' }, redis: { status: 'down' } },
      });
      // Readiness still names what is down, for whoever needs every dependency.
      expect(probe.ready).toBe(503);
    }
    await until('both apis are ready again', async () => {
      const ready = await Promise.all(apis.map((api) => fetch(`${api.url}/health/ready`)));
      return ready.every((r) => r.ok);
    });
  }, 60_000);

  it('drains a stopping api: its check fails at once, it serves on, and clients get no 503', async () => {
    const stopping = apis[1];
    await until(
      'the balancer sends to both apis again',
      async () => {
        const before = await Promise.all(apis.map((api) => served(api, '/health/live')));
        for (const _ of range(4)) await fetch(`${balancer.url}/health/live`);
        const after = await Promise.all(apis.map((api) => served(api, '/health/live')));
        return after.every((count, i) => count > before[i]);
      },
      20_000,
    );
    let exited = false;
    const placing = placeOrdersUntil(() => exited);
    await new Promise((r) => setTimeout(r, 500)); // clients busy on both instances
    const signalled = Date.now();
    stopping.kill('SIGTERM');
    let checkFailed: { after: number; body: unknown } | undefined;
    for (let i = 0; i < 20 && !checkFailed; i++) {
      const serving = await fetch(`${stopping.url}/health/serving`).catch(() => undefined);
      if (serving?.status === 503)
        checkFailed = { after: Date.now() - signalled, body: await serving.json() };
      else await new Promise((r) => setTimeout(r, 50));
    }
    const live = await fetch(`${stopping.url}/health/live`).catch(() => undefined);
    const { code } = await stopping.exited;
    const stoppedAfter = Date.now() - signalled;
    await new Promise((r) => setTimeout(r, 1_000)); // and a while after it is gone
    exited = true;
    const answers = await placing;

    expect(answers.length).toBeGreaterThan(20);
    expect(unexpected(answers)).toEqual([]);
    expect(code).toBe(0);
    expect(checkFailed).toEqual({
      after: expect.any(Number),
      body: expect.objectContaining({ message: 'Not serving: draining (stopping)' }),
    });
    expect(checkFailed!.after).toBeLessThan(1_000);
    expect(live?.status).toBe(200); // it serves on meanwhile
    expect(stoppedAfter).toBeGreaterThanOrEqual(DRAIN_MS);
  }, 60_000);
});
