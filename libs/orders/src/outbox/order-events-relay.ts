import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { OrderEventView } from '../order-view.js';
import { ORDER_EVENT_CONSUMERS, type OrderEventConsumer } from './order-event-consumer.js';
import { OutboxNudges } from './outbox-nudges.js';
import { OutboxSignal } from './outbox-signal.js';
import {
  compareCursors,
  OutboxStore,
  type OutboxBatch,
  type OutboxCursor,
} from './outbox-store.js';

/** How often a process that leads a consumer looks for events committed by other processes. */
export const OUTBOX_POLL_MS = 50;
/** A lease lasts this long unless renewed; a dead process's consumers move on after it. */
export const LEASE_MS = 5_000;
/** Leases are renewed (and expired ones taken) this often. */
export const CLAIM_MS = 1_000;
const BATCH = 200;
/**
 * A consumer call that takes longer is told to stop (its signal aborts) and then awaited: a retry
 * could only overlap it. Its outcome counts (a late success delivered the batch).
 */
export const HANDLER_TIMEOUT_MS = 3_000;
/** Retries back off up to this. */
export const MAX_BACKOFF_MS = 1_000;
/** After this many failures in a row a process hands the consumer to another (if there is one). */
export const HAND_OVER_AFTER = 5;
/** Events held back this long by a running transaction get a warning naming it. */
const STALL_WARNING_MS = 5_000;

interface ConsumerState {
  consumer: OrderEventConsumer;
  /** Bumped on each new lease, so a delivery from an older lease stops instead of advancing. */
  term: number;
  leased: boolean;
  leaseValidUntil: number;
  cursor: OutboxCursor;
  running?: Promise<void>;
  again: boolean;
  failures: number;
  retryAt: number;
  /** After handing over: do not take the lease back before this. */
  pausedUntil: number;
  /** Since when newer events exist but none can be delivered yet (an older transaction runs). */
  heldSince?: number;
  stallWarned: boolean;
}

/** What the relay needs of the outbox's SQL (OutboxStore; an in-memory one in unit tests). */
export type OutboxStorage = Pick<
  OutboxStore,
  'register' | 'claim' | 'release' | 'head' | 'read' | 'advance' | 'oldestTransaction'
>;

/**
 * The outbox relay: order_events rows are written in the transaction of their change; this hands
 * them, after commit, to each consumer the process runs (ORDER_EVENT_CONSUMERS), each from its own
 * cursor. For each consumer one process at a time (the lease holder) delivers, in commit order;
 * any process may hold it, and another takes over within LEASE_MS if it dies. No transaction is
 * open while a consumer runs, and a consumer that fails is retried with backoff, not in a loop.
 */
@Injectable()
export class OrderEventsRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrderEventsRelay.name);
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly states = new Map<string, ConsumerState>();
  private readonly timers: NodeJS.Timeout[] = [];
  private claiming?: Promise<void>;
  /** Reads in flight by cursor: consumers at one position (the usual case) share one. */
  private readonly reads = new Map<string, Promise<OutboxBatch>>();
  private polling = false;
  private stopping = false;

  constructor(
    @Inject(OutboxStore) private readonly store: OutboxStorage,
    private readonly signal: OutboxSignal,
    @Inject(OutboxNudges) private readonly nudges: Pick<OutboxNudges, 'send' | 'listen'>,
    @Inject(ORDER_EVENT_CONSUMERS) consumers: OrderEventConsumer[],
  ) {
    for (const consumer of consumers.filter((c) => c.enabled !== false)) {
      if (this.states.has(consumer.name)) throw new Error(`two consumers named ${consumer.name}`);
      this.states.set(consumer.name, {
        consumer,
        term: 0,
        leased: false,
        leaseValidUntil: 0,
        cursor: { tx: '0', id: '0' },
        again: false,
        failures: 0,
        retryAt: 0,
        pausedUntil: 0,
        stallWarned: false,
      });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.states.size === 0) return;
    await this.store.register([...this.states.keys()]);
    await this.claim();
    this.signal.onCommitted(() => {
      this.poll(true);
      // Consumers led elsewhere: tell their leaders now rather than at their next poll.
      if (this.leading().length < this.states.size) this.nudges.send(this.owner);
    });
    this.nudges.listen(this.owner, () => this.poll(true));
    this.timers.push(
      setInterval(() => void this.claim(), CLAIM_MS),
      setInterval(() => this.poll(false), OUTBOX_POLL_MS),
    );
    for (const timer of this.timers) timer.unref();
    this.poll(true);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.claiming;
    await Promise.all([...this.states.values()].map((s) => s.running ?? Promise.resolve()));
    const held = [...this.states.values()].filter((s) => s.leased).map((s) => s.consumer.name);
    // Hand over at once rather than after the lease expires.
    if (held.length > 0) await this.store.release(this.owner, held).catch(() => undefined);
  }

  /** Which consumers this process delivers for now (tests, diagnostics). */
  leading(): string[] {
    return [...this.states.values()].filter((s) => s.leased).map((s) => s.consumer.name);
  }

  /** Renews this process's leases and takes expired ones. */
  private claim(): Promise<void> {
    this.claiming ??= this.claimOnce().finally(() => (this.claiming = undefined));
    return this.claiming;
  }

  private async claimOnce(): Promise<void> {
    if (this.stopping) return;
    const now = Date.now();
    const eligible = [...this.states.values()].filter((s) => s.pausedUntil <= now);
    if (eligible.length === 0) return;
    let won: Map<string, OutboxCursor>;
    try {
      won = await this.store.claim(
        this.owner,
        eligible.map((s) => s.consumer.name),
        LEASE_MS,
      );
    } catch (err) {
      this.logger.warn({ err }, 'outbox lease renewal failed; will retry');
      return;
    }
    for (const state of eligible) {
      const cursor = won.get(state.consumer.name);
      if (!cursor) {
        state.leased = false;
        continue;
      }
      if (!state.leased) {
        // A new lease: start from the cursor in the database (another process may have moved it).
        state.term++;
        state.leased = true;
        state.cursor = cursor;
        state.failures = 0;
        state.retryAt = 0;
      }
      state.leaseValidUntil = now + LEASE_MS - CLAIM_MS;
    }
  }

  /**
   * Delivers what is pending for the consumers this process leads. After a local commit
   * (`committed`) there is something to deliver; otherwise one cheap look at the newest event
   * first, so that an idle process costs one indexed read per poll.
   */
  private poll(committed: boolean): void {
    if (this.stopping) return;
    const now = Date.now();
    const ready = [...this.states.values()].filter(
      (s) => s.leased && now < s.leaseValidUntil && now >= s.retryAt,
    );
    for (const state of ready.filter((s) => s.running !== undefined)) state.again ||= committed;
    const idle = ready.filter((s) => s.running === undefined);
    if (idle.length === 0) return;
    if (committed) {
      for (const state of idle) this.start(state);
      return;
    }
    if (this.polling) return;
    this.polling = true;
    this.store
      .head()
      .then((head) => {
        if (!head) return;
        for (const state of idle)
          if (state.running === undefined && compareCursors(state.cursor, head) < 0)
            this.start(state);
      })
      .catch((err: unknown) => this.logger.warn({ err }, 'outbox poll failed'))
      .finally(() => (this.polling = false));
  }

  private start(state: ConsumerState): void {
    state.running = this.drain(state).finally(() => {
      state.running = undefined;
    });
  }

  /** Delivers batches to one consumer until none is left (or it fails, or the lease is lost). */
  private async drain(state: ConsumerState): Promise<void> {
    const { term, consumer } = state;
    try {
      for (;;) {
        state.again = false;
        const batch = await this.read(state.cursor);
        if (!batch.last) return await this.heldBack(state);
        state.heldSince = undefined;
        state.stallWarned = false;
        await this.deliver(consumer, batch.events);
        if (term !== state.term) return;
        const kept = await this.store.advance(
          this.owner,
          consumer.name,
          batch.last,
          batch.events.length,
          LEASE_MS,
        );
        if (!kept) {
          if (term === state.term) state.leased = false;
          return;
        }
        state.cursor = batch.last;
        state.leaseValidUntil = Date.now() + LEASE_MS - CLAIM_MS;
        if (state.failures > 0) {
          this.logger.log(
            { consumer: consumer.name, failures: state.failures },
            'order event consumer recovered',
          );
          state.failures = 0;
        }
        if (batch.events.length < BATCH && !state.again) return;
      }
    } catch (err) {
      await this.failed(state, err);
    }
  }

  /**
   * The next batch after `cursor`, read once for every consumer asking at the same moment (a
   * commit starts them together): any moment's read is a correct one for each of them.
   */
  private read(cursor: OutboxCursor): Promise<OutboxBatch> {
    const key = `${cursor.tx}:${cursor.id}`;
    let read = this.reads.get(key);
    if (!read) {
      read = this.store.read(cursor, BATCH).finally(() => this.reads.delete(key));
      this.reads.set(key, read);
    }
    return read;
  }

  /**
   * One call of the consumer. One that takes longer than HANDLER_TIMEOUT_MS is told so (its
   * signal aborts) and still awaited: until it settles this drain is not over, so no retry starts
   * in this process, and the lease is kept (renewed by claim()), so none starts elsewhere.
   */
  private async deliver(consumer: OrderEventConsumer, events: OrderEventView[]): Promise<void> {
    const abort = new AbortController();
    // Its own array: the batch may be shared with other consumers.
    const call = consumer.handle([...events], abort.signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), HANDLER_TIMEOUT_MS);
    });
    try {
      if ((await Promise.race([call, timedOut])) !== true) return;
    } finally {
      clearTimeout(timer);
    }
    abort.abort(new Error(`${consumer.name} did not answer within ${HANDLER_TIMEOUT_MS} ms`));
    this.logger.warn(
      { consumer: consumer.name, timeoutMs: HANDLER_TIMEOUT_MS },
      'order event consumer is slow; aborted, waiting for it to settle before any retry',
    );
    await call; // a late failure is retried like any other; a late success delivered the batch
  }

  /**
   * Nothing deliverable though newer events exist: a transaction that began before them still
   * runs (in any database of the cluster). Said once per stall, naming that transaction.
   */
  private async heldBack(state: ConsumerState): Promise<void> {
    const now = Date.now();
    state.heldSince ??= now;
    if (state.stallWarned || now - state.heldSince < STALL_WARNING_MS) return;
    state.stallWarned = true;
    const oldest = await this.store.oldestTransaction();
    this.logger.warn(
      { consumer: state.consumer.name, heldMs: now - state.heldSince, oldestTransaction: oldest },
      'order events held back by a long-running transaction (see docs/architecture.md)',
    );
  }

  private async failed(state: ConsumerState, err: unknown): Promise<void> {
    const name = state.consumer.name;
    state.failures++;
    state.retryAt = Date.now() + Math.min(100 * 2 ** (state.failures - 1), MAX_BACKOFF_MS);
    // Once per outage (and then now and then), not once per retry.
    if (state.failures === 1 || state.failures % 60 === 0)
      this.logger.warn(
        { err, consumer: name, failures: state.failures },
        'order event consumer failed; retrying',
      );
    if (state.failures % HAND_OVER_AFTER === 0) {
      // Maybe only this process cannot deliver: let another one try for a while.
      state.leased = false;
      state.pausedUntil = Date.now() + 2 * CLAIM_MS;
      await this.store.release(this.owner, [name]).catch(() => undefined);
    }
  }
}
