import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { AuthService, SESSION_COOKIE } from '#libs/auth';
import { QUEUES } from '#libs/jobs';
import { startApi, type RunningApp } from './harness/apps.js';
import { signup, userWithRole, type TestUser } from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';
import { pathVariants, rawRequest } from './harness/raw-request.js';

const METRICS_TOKEN = 'route-guards-metrics-token-0123456789';

/** A request that only an admin (or, for /metrics, the metrics token) may make. */
interface Guarded {
  method: string;
  path: string;
  body?: unknown;
}

/**
 * Every guarded route family, each spelled every way a router, a proxy or a prefix check might
 * read differently (issue 23, S1: `/admin/%71ueues/api/queues` answered 200 to anyone while
 * `/admin/queues/api/queues` answered 401). Whatever the spelling, nobody without the role gets a
 * 2xx, and nothing they sent took effect.
 */
describe('route guards hold for every spelling of a guarded path', () => {
  let api: RunningApp;
  let http: HttpClient;
  let admin: TestUser;
  let customer: TestUser;
  let customerCookie: string;
  const guarded: Guarded[] = [];

  beforeAll(async () => {
    api = await startApi({
      // Its own queues: the hostile writes below must find nothing of another suite's.
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_guards`,
      METRICS_TOKEN,
      AUTH_RATE_LIMIT_IP: '1000',
    });
    http = new HttpClient(api.url);
    admin = await userWithRole(api.app, http, 'admin');
    customer = await signup(http, 'guards');
    customerCookie = (
      await api.app.get(AuthService).loginToPages(customer.email, customer.password)
    ).cookie;
    guarded.push(
      // The queue board, its page and its JSON API (reads and writes).
      { method: 'GET', path: '/admin/queues' },
      { method: 'GET', path: '/admin/queues/queue/orders' },
      { method: 'GET', path: '/admin/queues/api/queues' },
      { method: 'GET', path: '/admin/queues/api/redis/stats' },
      { method: 'PUT', path: '/admin/queues/api/queues/orders/pause' },
      { method: 'PUT', path: '/admin/queues/api/queues/orders/no-such-job/promote' },
      { method: 'POST', path: '/admin/queues/api/queues/maintenance/add', body: { name: 'purge' } },
      // The admin pages.
      { method: 'GET', path: '/admin/board' },
      // Metrics (guarded here by METRICS_TOKEN).
      { method: 'GET', path: '/metrics' },
      // The REST admin API.
      { method: 'GET', path: '/v1/admin/users' },
      { method: 'GET', path: '/v1/admin/orders' },
      { method: 'GET', path: '/v1/admin/stores' },
      { method: 'PATCH', path: `/v1/admin/users/${customer.id}`, body: { role: 'admin' } },
    );
  }, 30_000);
  afterAll(() => api?.close());

  const queue = (name: string) => api.app.get<Queue>(getQueueToken(name), { strict: false });

  it('lets the admin (or the metrics token) in on the canonical path: the routes exist', async () => {
    for (const path of ['/admin/queues/api/queues', '/admin/queues/api/redis/stats']) {
      const res = await rawRequest(api.url, 'GET', path, {
        headers: { authorization: `Bearer ${admin.accessToken}` },
      });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    const page = await rawRequest(api.url, 'GET', '/admin/queues', {
      headers: { authorization: `Bearer ${admin.accessToken}` },
    });
    expect(page.status).toBe(200);
    const metrics = await rawRequest(api.url, 'GET', '/metrics', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    expect((await http.get('/v1/admin/users', { token: admin.accessToken })).status).toBe(200);
  });

  it('answers no 2xx (and no 5xx) to anyone else, however the path is spelled', async () => {
    const jobsBefore = await queue(QUEUES.maintenance).getJobCounts();
    const principals: Record<string, Record<string, string>> = {
      anonymous: {},
      'customer token': { authorization: `Bearer ${customer.accessToken}` },
      // A page session of a customer, sent as the board's own page would (so CSRF is no obstacle).
      'customer session': {
        cookie: `${SESSION_COOKIE}=${customerCookie}`,
        'sec-fetch-site': 'same-origin',
        origin: api.url,
      },
      // An admin's token is not the metrics token.
      'admin token (metrics only)': { authorization: `Bearer ${admin.accessToken}` },
    };
    const admitted: string[] = [];
    let sent = 0;
    for (const route of guarded) {
      const spellings = [{ kind: 'canonical', path: route.path }, ...pathVariants(route.path)];
      for (const [who, headers] of Object.entries(principals)) {
        if (who.startsWith('admin') && route.path !== '/metrics') continue;
        await Promise.all(
          spellings.map(async ({ kind, path }) => {
            const body = route.body === undefined ? undefined : JSON.stringify(route.body);
            const res = await rawRequest(api.url, route.method, path, { headers, body });
            sent++;
            if (res.status < 300 || res.status >= 500)
              admitted.push(`${who}: ${route.method} ${path} (${kind}) -> ${res.status}`);
          }),
        );
      }
    }
    expect(admitted).toEqual([]);
    expect(sent).toBeGreaterThan(500);
    // Nothing the refused requests asked for happened.
    expect(await queue(QUEUES.maintenance).getJobCounts()).toEqual(jobsBefore);
    expect(await queue(QUEUES.orders).isPaused()).toBe(false);
    expect((await http.get('/v1/auth/me', { token: customer.accessToken })).body.role).toBe(
      'customer',
    );
  }, 120_000);
});
