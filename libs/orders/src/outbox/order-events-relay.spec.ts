import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { OrderEventView } from '../order-view.js';
import type { OrderEventConsumer } from './order-event-consumer.js';
import {
  ADVANCE_EVERY_MS,
  CLAIM_MS,
  HAND_OVER_AFTER,
  HANDLER_TIMEOUT_MS,
  LEASE_MS,
  OrderEventsRelay,
  OUTBOX_POLL_MS,
  READ_SPACING_MS,
  type OutboxStorage,
} from './order-events-relay.js';
import { OutboxSignal } from './outbox-signal.js';
import { compareCursors, type OutboxBatch, type OutboxCursor } from './outbox-store.js';

/**
 * The relay's state machine (leases, backoff, hand-over, one call at a time) on a fake clock,
 * against an in-memory outbox with the SQL's semantics (outbox-store.ts): no PostgreSQL, no Redis.
 */
class MemoryOutbox {
  private readonly events: { cursor: OutboxCursor; view: OrderEventView }[] = [];
  private readonly rows = new Map<
    string,
    { cursor: OutboxCursor; owner?: string; until: number }
  >();
  private nextTx = 1000;

  /** Commits one event in a transaction of its own. */
  add(orderId: string, seq: number): void {
    const tx = String(this.nextTx++);
    this.events.push({
      cursor: { tx, id: tx },
      view: {
        orderId,
        seq,
        type: 'test.event',
        fromStatus: null,
        toStatus: null,
        actor: { id: null, role: 'system' },
        reason: null,
        data: {},
        at: new Date().toISOString(),
      },
    });
  }

  /** The cursor written for `name`, and the newest event's. */
  cursor(name: string): OutboxCursor {
    return this.rows.get(name)!.cursor;
  }

  head(): OutboxCursor | undefined {
    return this.events.at(-1)?.cursor;
  }

  /** When `name`'s lease runs out unless renewed. */
  until(name: string): number {
    return this.rows.get(name)!.until;
  }

  owner(name: string): string | undefined {
    const row = this.rows.get(name);
    return row && row.until >= Date.now() ? row.owner : undefined;
  }

  /** The store one process sees; `frozen` makes every call hang, as a stuck or dead process. */
  view(process: { frozen: boolean }): OutboxStorage {
    const hang = new Promise<never>(() => undefined);
    const gate = <T>(work: () => T): Promise<T> =>
      process.frozen ? hang : Promise.resolve().then(work);
    return {
      register: (names) =>
        gate(() => {
          for (const name of names)
            if (!this.rows.has(name))
              this.rows.set(name, { cursor: { tx: '0', id: '0' }, until: -Infinity });
        }),
      claim: (owner, names, leaseMs) =>
        gate(() => {
          const won = new Map<string, OutboxCursor>();
          for (const name of names) {
            const row = this.rows.get(name)!;
            if (row.owner !== owner && row.until >= Date.now()) continue;
            Object.assign(row, { owner, until: Date.now() + leaseMs });
            won.set(name, row.cursor);
          }
          return won;
        }),
      release: (owner, names) =>
        gate(() => {
          for (const name of names) {
            const row = this.rows.get(name)!;
            if (row.owner === owner) row.until = -Infinity;
          }
        }),
      head: () => gate(() => this.events.at(-1)?.cursor),
      read: (after, limit) =>
        gate((): OutboxBatch => {
          const batch = this.events.filter((e) => compareCursors(e.cursor, after) > 0);
          const taken = batch.slice(0, limit);
          return { events: taken.map((e) => e.view), last: taken.at(-1)?.cursor };
        }),
      advance: (owner, name, to, _delivered, leaseMs) =>
        gate(() => {
          const row = this.rows.get(name)!;
          if (row.owner !== owner) return false;
          Object.assign(row, { cursor: to, until: Date.now() + leaseMs });
          return true;
        }),
      oldestTransaction: () => gate(() => undefined),
    };
  }
}

interface Call {
  process: string;
  start: number;
  end?: number;
  seqs: number[];
  signal: AbortSignal;
}

describe('OrderEventsRelay (fake clock, in-memory outbox)', () => {
  let outbox: MemoryOutbox;
  let calls: Call[];
  const relays: OrderEventsRelay[] = [];
  const nudges = { send: () => undefined, listen: () => undefined };

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    outbox = new MemoryOutbox();
    calls = [];
  });
  afterEach(async () => {
    for (const relay of relays.splice(0)) void relay.onApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /**
   * A process running consumer `c` whose calls take `takes(n)` ms (n counts this process's calls)
   * and fail when `fails(n)`.
   */
  async function startProcess(
    name: string,
    o: {
      takes?: (n: number) => number;
      fails?: (n: number) => boolean;
      storage?: (s: OutboxStorage) => OutboxStorage;
    } = {},
  ) {
    const state = { frozen: false, calls: 0 };
    const consumer: OrderEventConsumer = {
      name: 'c',
      handle: async (events, signal) => {
        const n = ++state.calls;
        const call: Call = {
          process: name,
          start: Date.now(),
          seqs: events.map((e) => e.seq),
          signal,
        };
        calls.push(call);
        await new Promise((r) => setTimeout(r, o.takes?.(n) ?? 0));
        call.end = Date.now();
        if (o.fails?.(n)) throw new Error(`${name} cannot deliver`);
      },
    };
    const signal = new OutboxSignal();
    const storage = outbox.view(state);
    const relay = new OrderEventsRelay(o.storage?.(storage) ?? storage, signal, nudges, [consumer]);
    relays.push(relay);
    await relay.onApplicationBootstrap();
    return { relay, state, signal };
  }

  /** Commits one event every millisecond for `ms`, each signalled as a local commit. */
  async function commitEveryMs(signal: OutboxSignal, ms: number, from = 1): Promise<number> {
    let seq = from;
    for (let t = 0; t < ms; t++) {
      outbox.add('o1', seq++);
      signal.committed();
      await jest.advanceTimersByTimeAsync(1);
    }
    return seq - 1;
  }

  const range = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i);

  const delivered = (by?: string) =>
    calls
      .filter((c) => (by === undefined || c.process === by) && c.end !== undefined)
      .flatMap((c) => c.seqs);

  it('delivers from the lease holder only, and another process takes over once the lease runs out', async () => {
    const a = await startProcess('a');
    const b = await startProcess('b');
    expect(a.relay.leading()).toEqual(['c']);
    expect(b.relay.leading()).toEqual([]);

    outbox.add('o1', 1);
    outbox.add('o1', 2);
    await jest.advanceTimersByTimeAsync(OUTBOX_POLL_MS * 2);
    expect(delivered('a')).toEqual([1, 2]);

    // a stops answering (its process hangs or died without handing over).
    a.state.frozen = true;
    const frozenAt = Date.now();
    outbox.add('o1', 3);
    await jest.advanceTimersByTimeAsync(LEASE_MS - CLAIM_MS);
    expect(delivered('b')).toEqual([]); // a's lease still holds
    await jest.advanceTimersByTimeAsync(2 * CLAIM_MS);
    expect(delivered('b')).toEqual([3]);
    const takenOver = calls.find((c) => c.process === 'b')!.start - frozenAt;
    expect(takenOver).toBeGreaterThanOrEqual(LEASE_MS - CLAIM_MS);
    expect(takenOver).toBeLessThanOrEqual(LEASE_MS + CLAIM_MS + OUTBOX_POLL_MS);
    expect(outbox.owner('c')).toMatch(/:/);
    expect(b.relay.leading()).toEqual(['c']);
  });

  it('retries a failing consumer with backoff (100 ms doubling), then hands it to another process', async () => {
    await startProcess('a', { fails: () => true });
    const b = await startProcess('b');
    outbox.add('o1', 1);
    await jest.advanceTimersByTimeAsync(5_000);

    const tries = calls.filter((c) => c.process === 'a').map((c) => c.start);
    expect(tries).toHaveLength(HAND_OVER_AFTER); // then paused; b holds the lease since
    const gaps = tries.slice(1).map((t, i) => t - tries[i]);
    gaps.forEach((gap, i) => {
      const backoff = 100 * 2 ** i;
      expect(gap).toBeGreaterThanOrEqual(backoff);
      expect(gap).toBeLessThanOrEqual(backoff + OUTBOX_POLL_MS);
    });
    // Handed over at once after the fifth failure: b takes it at its next claim (every second).
    const handedOver = calls.find((c) => c.process === 'b')!.start - tries.at(-1)!;
    expect(handedOver).toBeLessThanOrEqual(CLAIM_MS + OUTBOX_POLL_MS);
    expect(delivered('b')).toEqual([1]);
    expect(b.relay.leading()).toEqual(['c']);
  });

  it('never runs two calls at once: a timed-out call is aborted and awaited before the retry, and the lease stays', async () => {
    const HANG_MS = 10_000;
    const a = await startProcess('a', {
      takes: (n) => (n === 1 ? HANG_MS : 0),
      fails: (n) => n === 1, // as a consumer that stops at its signal does
    });
    await startProcess('b');
    outbox.add('o1', 1);
    await jest.advanceTimersByTimeAsync(HANDLER_TIMEOUT_MS + 500);
    expect(calls).toHaveLength(1); // timed out, backoff passed, yet no retry while it runs
    expect(calls[0].signal?.aborted).toBe(true); // told at the timeout
    await jest.advanceTimersByTimeAsync(HANG_MS);

    // No call started while another ran, in this process or the other one.
    const sorted = [...calls].sort((x, y) => x.start - y.start);
    for (const [i, call] of sorted.entries())
      if (i > 0) expect(call.start).toBeGreaterThanOrEqual(sorted[i - 1].end!);
    // The retry came once the first call settled (and failed), from the same process.
    expect(calls.map((c) => c.process)).toEqual(['a', 'a']);
    expect(calls[1].start - calls[0].end!).toBeLessThanOrEqual(100 + OUTBOX_POLL_MS);
    expect(a.relay.leading()).toEqual(['c']);
  });

  it('counts a slow call that succeeds in the end as delivered (no second delivery)', async () => {
    await startProcess('a', { takes: (n) => (n === 1 ? 2 * HANDLER_TIMEOUT_MS : 0) });
    outbox.add('o1', 1);
    outbox.add('o1', 2);
    await jest.advanceTimersByTimeAsync(3 * HANDLER_TIMEOUT_MS);
    expect(calls).toHaveLength(1);
    expect(calls[0].signal.aborted).toBe(true);
    expect(delivered()).toEqual([1, 2]);
    outbox.add('o1', 3);
    await jest.advanceTimersByTimeAsync(OUTBOX_POLL_MS * 2);
    expect(delivered()).toEqual([1, 2, 3]); // the cursor moved past the slow batch
  });

  it('reads once for the consumers at one position, and each gets every event in order', async () => {
    const storage = outbox.view({ frozen: false });
    const read = jest.fn(storage.read);
    const got = new Map<string, number[]>();
    const consumers: OrderEventConsumer[] = ['x', 'y', 'z'].map((name) => ({
      name,
      handle: async (events) => {
        got.set(name, [...(got.get(name) ?? []), ...events.map((e) => e.seq)]);
        events.length = 0; // a consumer's own array: the others' are untouched
      },
    }));
    const signal = new OutboxSignal();
    const relay = new OrderEventsRelay({ ...storage, read }, signal, nudges, consumers);
    relays.push(relay);
    await relay.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(OUTBOX_POLL_MS * 2);
    read.mockClear();
    outbox.add('o1', 1);
    outbox.add('o1', 2);
    signal.committed();
    await jest.advanceTimersByTimeAsync(1);
    expect(read).toHaveBeenCalledTimes(1);
    expect([...got.values()]).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
  });

  it('under load reads at most once per READ_SPACING_MS and writes its cursor at most once per ADVANCE_EVERY_MS, each event once and in order', async () => {
    const reads: number[] = [];
    const advances: number[] = [];
    const a = await startProcess('a', {
      takes: () => 2,
      storage: (s) => ({
        ...s,
        read: (after, limit) => (reads.push(Date.now()), s.read(after, limit)),
        advance: (...args) => (advances.push(Date.now()), s.advance(...args)),
      }),
    });
    reads.length = 0;
    advances.length = 0;
    const last = await commitEveryMs(a.signal, 1_000);
    await jest.advanceTimersByTimeAsync(ADVANCE_EVERY_MS + READ_SPACING_MS);

    expect(delivered()).toEqual(range(1, last));
    const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);
    expect(Math.min(...gaps(reads))).toBeGreaterThanOrEqual(READ_SPACING_MS);
    expect(reads.length).toBeLessThanOrEqual(1_000 / READ_SPACING_MS + 2);
    expect(Math.min(...gaps(advances))).toBeGreaterThanOrEqual(ADVANCE_EVERY_MS);
    expect(advances.length).toBeLessThanOrEqual(1_000 / ADVANCE_EVERY_MS + 2);
    // Idle afterwards: the last delivery was written.
    expect(outbox.cursor('c')).toEqual(outbox.head());
  });

  it('writes what it delivered before handing over at shutdown: the next holder delivers nothing twice', async () => {
    const a = await startProcess('a');
    const b = await startProcess('b');
    const last = await commitEveryMs(a.signal, 100);
    expect(outbox.cursor('c')).not.toEqual(outbox.head()); // written less often than delivered
    const stopped = a.relay.onApplicationShutdown(); // it waits for the drain in flight
    await jest.advanceTimersByTimeAsync(READ_SPACING_MS);
    await stopped;
    expect(delivered('a')).toEqual(range(1, last));
    expect(outbox.cursor('c')).toEqual(outbox.head());

    outbox.add('o1', last + 1);
    await jest.advanceTimersByTimeAsync(CLAIM_MS + OUTBOX_POLL_MS * 2);
    expect(b.relay.leading()).toEqual(['c']);
    expect(delivered('b')).toEqual([last + 1]);
  });

  it('never delivers a batch read while its lease lapsed (a stalled database) once another process may have taken over', async () => {
    // While `stall` is pending, a's reads wait for it and its lease renewals fail.
    let stall: Promise<void> | undefined;
    const a = await startProcess('a', {
      storage: (s) => ({
        ...s,
        read: (after, limit) => (stall ?? Promise.resolve()).then(() => s.read(after, limit)),
        claim: (...args) =>
          stall ? Promise.reject(new Error('database unreachable')) : s.claim(...args),
      }),
    });
    const b = await startProcess('b');
    await commitEveryMs(a.signal, 10);
    await jest.advanceTimersByTimeAsync(READ_SPACING_MS);
    expect(delivered('a')).toEqual(range(1, 10));
    let resume!: () => void;
    stall = new Promise<void>((r) => (resume = r));
    outbox.add('o1', 11);
    a.signal.committed(); // a reads 11; the answer comes after its lease ran out
    await jest.advanceTimersByTimeAsync(LEASE_MS + 2 * CLAIM_MS);
    expect(b.relay.leading()).toEqual(['c']);
    expect(delivered('b').at(-1)).toBe(11); // from the last cursor a wrote: at least once
    stall = undefined;
    resume();
    await jest.advanceTimersByTimeAsync(CLAIM_MS);
    expect(delivered('a')).toEqual(range(1, 10)); // its late read was not delivered
    expect(a.relay.leading()).toEqual([]);
  });
});
