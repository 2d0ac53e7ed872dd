import pg from 'pg';
import { AppProcess } from './harness/app-process.js';
import { signup } from './harness/factories.js';
import { isolatedDatabase } from './harness/isolated-database.js';
import { HttpClient } from './harness/http-client.js';
import { PrivateRedis } from './harness/redis-server.js';
import { TrackingClient } from './harness/tracking-client.js';

/**
 * An api process stopped with SIGTERM exits 0 and writes no error, however Redis answers then.
 * `make bench` stops its apis right after closing 5,000 tracking sockets; with Redis and the api
 * that busy, commands the socket.io Redis adapter sent as it closed were still unanswered when
 * their connection closed, and their rejection, which nobody handled, ended the process (exit 1).
 * Here Redis is made slow (paused) or gone deterministically: its own server, not the shared one.
 */
describe('an api stopped with SIGTERM', () => {
  let redis: PrivateRedis;

  beforeEach(async () => {
    redis = await PrivateRedis.start();
  });
  afterEach(async () => {
    await redis.destroy();
  });

  /** Starts an api, closes its tracking sockets, does `meanwhile`, stops it: how it ended. */
  async function stopAfterSocketsClose(meanwhile: () => Promise<void>) {
    const api = await AppProcess.start('api', { REDIS_URL: redis.url });
    try {
      const { accessToken } = await signup(new HttpClient(api.url));
      const clients = await Promise.all(
        Array.from({ length: 5 }, () => TrackingClient.connect(api.url, accessToken)),
      );
      for (const client of clients) client.close();
      await meanwhile();
      api.kill('SIGTERM');
      const { code } = await api.exited;
      return { code, stderr: api.stderr };
    } finally {
      api.kill('SIGKILL');
    }
  }

  it('exits 0 when Redis is too busy to answer as it stops', async () => {
    expect(await stopAfterSocketsClose(() => redis.pause(1_000))).toEqual({ code: 0, stderr: '' });
  });

  it('exits 0 when Redis has just gone away', async () => {
    expect(await stopAfterSocketsClose(() => redis.stop())).toEqual({ code: 0, stderr: '' });
  });

  it('stops at once while clients keep their connections busy, and hands its outbox leases over', async () => {
    // Its own database: this api is the only process that can hold the outbox leases.
    const db = await isolatedDatabase();
    const api = await AppProcess.start('api', { REDIS_URL: redis.url, DATABASE_URL: db.url });
    const client = new pg.Client({ connectionString: db.url });
    try {
      await client.connect();
      const { accessToken } = await signup(new HttpClient(api.url));
      const held = async () =>
        (
          await client.query(
            `SELECT count(*)::int AS n FROM outbox_consumers
              WHERE lease_owner LIKE '%:' || $1 || ':%' AND lease_until > now()`,
            [String(api.child.pid)],
          )
        ).rows[0].n as number;
      for (let i = 0; i < 50 && (await held()) === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await held()).toBeGreaterThan(0);
      // Eight clients, each sending its next request on its kept-alive connection at once.
      let running = true;
      const busy = Array.from({ length: 8 }, async () => {
        while (running)
          await fetch(`${api.url}/v1/orders`, {
            headers: { authorization: `Bearer ${accessToken}` },
          }).then(
            (r) => r.arrayBuffer(),
            () => new Promise((r) => setTimeout(r, 10)),
          );
      });
      await new Promise((r) => setTimeout(r, 500));
      const signalled = Date.now();
      api.kill('SIGTERM');
      const { code } = await api.exited;
      const took = Date.now() - signalled;
      running = false;
      await Promise.all(busy);
      // Before: socket.io's close waited for the HTTP server, which those clients kept open, so
      // the api served them for its 10 s timeout, exited 1 and kept its leases until they expired.
      expect({ code, stderr: api.stderr }).toEqual({ code: 0, stderr: '' });
      expect(took).toBeLessThan(5_000);
      expect(await held()).toBe(0);
    } finally {
      api.kill('SIGKILL');
      await client.end();
      await db.drop();
    }
  });
});
