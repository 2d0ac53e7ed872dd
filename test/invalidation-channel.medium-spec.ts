import type { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { InvalidationChannel } from '#libs/redis';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await sleep(10);
  expect(condition()).toBe(true);
}

/** A logger that keeps what it was told, by level. */
function recordingLogger() {
  const lines: { level: 'log' | 'warn'; text: string }[] = [];
  const text = (args: unknown[]) => String(args.find((a) => typeof a === 'string') ?? '');
  const logger = {
    log: (...args: unknown[]) => lines.push({ level: 'log', text: text(args) }),
    warn: (...args: unknown[]) => lines.push({ level: 'warn', text: text(args) }),
  } as unknown as Logger;
  return { logger, lines, warnings: () => lines.filter((l) => l.level === 'warn') };
}

/**
 * The invalidation channel's logging against the real Redis: a healthy start and a normal stop
 * say nothing (every `make up` and seed used to log two WARN "channel lost" lines), while a
 * connection really lost warns and its recovery is logged.
 */
describe('invalidation channel logging', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(url, { keyPrefix: `${process.env.REDIS_PREFIX}_chan:` });
  });
  afterAll(() => redis.disconnect());

  function channel() {
    const recorded = recordingLogger();
    let resets = 0;
    const chan = new InvalidationChannel(
      redis,
      `test-${randomUUID()}`,
      { heard: () => undefined, reset: () => resets++ },
      recorded.logger,
    );
    return { chan, ...recorded, resets: () => resets };
  }

  it('says nothing on a healthy start and a normal stop', async () => {
    const { chan, lines, resets } = channel();
    chan.start();
    await until(() => chan.listening);
    chan.stop();
    await until(() => !chan.listening);
    await sleep(100);
    expect(lines).toEqual([]);
    expect(resets()).toBe(2); // the state was still forgotten on both edges
  });

  it('says nothing when stopped before it ever subscribed', async () => {
    const { chan, lines } = channel();
    chan.start();
    chan.stop();
    await sleep(300);
    expect(lines).toEqual([]);
  });

  it('warns when the connection is really lost, and logs its return', async () => {
    const { chan, warnings, lines } = channel();
    chan.start();
    await until(() => chan.listening);
    // The server drops exactly this subscriber (by its address): a real loss.
    const subscriber = (chan as unknown as { subscriber: Redis }).subscriber;
    const stream = (subscriber as unknown as { stream: { localPort: number } }).stream;
    await redis.client('KILL', 'ADDR', `127.0.0.1:${stream.localPort}`);
    await until(() => warnings().length === 1);
    expect(warnings()[0]!.text).toMatch(/channel lost/);
    await until(() => chan.listening); // ioredis reconnects by itself
    await until(() => lines.some((l) => l.level === 'log' && /channel back/.test(l.text)));
    chan.stop();
    await until(() => !chan.listening);
    await sleep(100);
    expect(warnings()).toHaveLength(1);
  });
});
