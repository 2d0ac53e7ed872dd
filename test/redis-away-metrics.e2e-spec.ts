import { startApi, startWorker, type RunningApp } from './harness/apps.js';
import { userWithRole, type TestUser } from './harness/factories.js';
import { expectErrorShape, HttpClient, type HttpResult } from './harness/http-client.js';
import { PrivateRedis } from './harness/redis-server.js';

const METRICS_TOKEN = 'a-long-metrics-token-for-the-outage';
const scrape = { headers: { authorization: `Bearer ${METRICS_TOKEN}` } };

/** The answer and how long it took; fails (rather than hanging the suite) after `limitMs`. */
async function timed(
  request: () => Promise<HttpResult>,
  limitMs = 15_000,
): Promise<HttpResult & { ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${limitMs} ms`)), limitMs);
  });
  try {
    const res = await Promise.race([request(), hung]);
    return { ...res, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Redis away: /metrics (api and worker) and the queue board's api hung until it came back. The
 * metrics answer at once without the Redis-backed parts (reported down); the board answers 503.
 */
describe('metrics and the queue board with Redis away', () => {
  const outage = {} as { api: RunningApp; redis: PrivateRedis };
  let worker: RunningApp;
  let admin: TestUser;

  beforeAll(async () => {
    outage.redis = await PrivateRedis.start();
    const env = { REDIS_URL: outage.redis.url, METRICS_TOKEN };
    outage.api = await startApi(env);
    worker = await startWorker(env);
    admin = await userWithRole(outage.api.app, new HttpClient(outage.api.url), 'admin');
  }, 60_000);
  // The apps first: they close their Redis connections while it still answers.
  afterAll(async () => {
    await worker?.close();
    await outage.api?.close();
    await outage.redis?.destroy();
  });

  const processes = () =>
    [
      ['api', new HttpClient(outage.api.url)],
      ['worker', new HttpClient(worker.url)],
    ] as const;

  it('reports the queues while Redis answers', async () => {
    for (const [, http] of processes()) {
      const res = await timed(() => http.get('/metrics', scrape));
      expect(res.status).toBe(200);
      expect(res.body).toContain('flashcart_metrics_source_up{source="queues"} 1');
      expect(res.body).toContain('flashcart_queue_jobs{queue="orders",state="waiting"}');
    }
    const board = await new HttpClient(outage.api.url).get('/admin/queues/api/queues', {
      token: admin.accessToken,
    });
    expect(board.status).toBe(200);
  });

  it('answers /metrics within 3 s without the queues, and the board 503, while Redis is down', async () => {
    await outage.redis.stop();
    try {
      for (const [name, http] of processes())
        for (let i = 0; i < 2; i++) {
          // twice: a read still waiting for Redis is not piled up behind
          const res = await timed(() => http.get('/metrics', scrape));
          expect({ name, status: res.status, fast: res.ms < 3_000 }).toEqual({
            name,
            status: 200,
            fast: true,
          });
          expect(res.body).toContain('flashcart_metrics_source_up{source="queues"} 0');
          expect(res.body).not.toContain('flashcart_queue_jobs{');
          expect(res.body).toContain('flashcart_process_resident_memory_bytes');
        }
      const board = new HttpClient(outage.api.url);
      for (const path of ['/admin/queues/api/queues', '/admin/queues/api/redis/stats']) {
        const res = await timed(() => board.get(path, { token: admin.accessToken }));
        expectErrorShape(res, 503);
        expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
        expect(res.ms).toBeLessThan(6_000);
      }
    } finally {
      await outage.redis.start();
    }
    // Back: the queues are reported again.
    const http = new HttpClient(outage.api.url);
    let body = '';
    for (let i = 0; i < 100 && !body.includes('source="queues"} 1'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = String((await timed(() => http.get('/metrics', scrape))).body);
    }
    expect(body).toContain('flashcart_metrics_source_up{source="queues"} 1');
  }, 60_000);
});
