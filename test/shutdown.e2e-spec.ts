import { AppProcess } from './harness/app-process.js';
import { signup } from './harness/factories.js';
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
});
