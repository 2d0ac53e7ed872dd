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
 * Two reads of the outbox by one process start at least this far apart. Idle, a commit is read at
 * once; under load the commits of those milliseconds go out in one read (and one call of each
 * consumer) instead of one read each. The price: at most this much latency, and only right after
 * a read. Nudges to other processes are spaced the same way.
 */
export const READ_SPACING_MS = 10;
/**
 * A consumer's cursor is written to the database at most this often, and at hand-over and
 * shutdown. Delivery is at least once: a process that takes over from one that died redelivers at
 * most this much (consumers deduplicate).
 */
export const ADVANCE_EVERY_MS = 250;
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
  /** Where delivery stands: ahead of the database's cursor by `pending`. */
  cursor: OutboxCursor;
  /** Delivered under this lease but not yet written to the database. */
  pending?: { to: OutboxCursor; delivered: number };
  /** When the cursor was last written (or tried). */
  advancedAt: number;
  advanceTimer?: NodeJS.Timeout;
  /** The drain, or the write of the cursor: one at a time. */
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
  /** The next moment reads may start (READ_SPACING_MS), shared by everyone waiting for it. */
  private readSlot?: Promise<void>;
  private lastReadAt = -Infinity;
  private lastNudgeAt = -Infinity;
  private nudgeTimer?: NodeJS.Timeout;

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
        advancedAt: 0,
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
      if (this.leading().length < this.states.size) this.nudge();
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
    clearTimeout(this.nudgeTimer);
    await this.claiming;
    const states = [...this.states.values()];
    await Promise.all(states.map((s) => s.running ?? Promise.resolve()));
    // After the drains: one ending meanwhile may have set its timer.
    for (const state of states) clearTimeout(state.advanceTimer);
    const held = states.filter((s) => s.leased);
    // What was delivered is written, and the leases handed over at once rather than on expiry.
    await Promise.all(held.map((s) => this.writeCursor(s).catch(() => undefined)));
    const names = held.filter((s) => s.leased).map((s) => s.consumer.name);
    if (names.length > 0) await this.store.release(this.owner, names).catch(() => undefined);
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
        state.pending = undefined;
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
    this.run(state, () => this.drain(state));
  }

  private run(state: ConsumerState, work: () => Promise<void>): void {
    state.running = work().finally(() => {
      state.running = undefined;
    });
  }

  /**
   * Whether this process may still deliver for the consumer: its lease was renewed (by claim())
   * recently enough that no other process can have taken it since.
   */
  private holds(state: ConsumerState, term: number): boolean {
    return term === state.term && state.leased && Date.now() < state.leaseValidUntil;
  }

  /** Delivers batches to one consumer until none is left (or it fails, or the lease lapses). */
  private async drain(state: ConsumerState): Promise<void> {
    const { term, consumer } = state;
    try {
      for (;;) {
        state.again = false;
        await this.readSlotOpen();
        if (this.stopping || !this.holds(state, term)) return;
        const batch = await this.read(state.cursor);
        if (!batch.last) {
          await this.heldBack(state);
          break;
        }
        state.heldSince = undefined;
        state.stallWarned = false;
        if (!this.holds(state, term)) return;
        await this.deliver(consumer, batch.events);
        if (term !== state.term) return;
        state.cursor = batch.last;
        state.pending = {
          to: batch.last,
          delivered: (state.pending?.delivered ?? 0) + batch.events.length,
        };
        if (state.failures > 0) {
          this.logger.log(
            { consumer: consumer.name, failures: state.failures },
            'order event consumer recovered',
          );
          state.failures = 0;
        }
        await this.advanceWhenDue(state);
        if (batch.events.length < BATCH && !state.again) break;
      }
      await this.advanceWhenDue(state); // its timer may have fired while this ran
    } catch (err) {
      await this.failed(state, err);
    }
  }

  /**
   * Writes the cursor if ADVANCE_EVERY_MS have passed since the last write, and otherwise sets a
   * timer for when they will have (a drain running then writes it at its next batch or its end).
   */
  private async advanceWhenDue(state: ConsumerState): Promise<void> {
    if (!state.pending) return;
    const wait = state.advancedAt + ADVANCE_EVERY_MS - Date.now();
    if (wait <= 0) return this.writeCursor(state);
    state.advanceTimer ??= setTimeout(() => {
      state.advanceTimer = undefined;
      if (state.running === undefined && !this.stopping)
        this.run(state, () => this.advanceWhenDue(state).catch((err) => this.failed(state, err)));
    }, wait);
    state.advanceTimer.unref();
  }

  /** Writes what was delivered; learns there whether the lease is still this process's. */
  private async writeCursor(state: ConsumerState): Promise<void> {
    const { pending, term } = state;
    if (!pending) return;
    const sentAt = Date.now();
    state.advancedAt = sentAt;
    const kept = await this.store.advance(
      this.owner,
      state.consumer.name,
      pending.to,
      pending.delivered,
      LEASE_MS,
    );
    if (term !== state.term) return;
    if (state.pending === pending) state.pending = undefined;
    if (!kept) state.leased = false;
    else state.leaseValidUntil = Math.max(state.leaseValidUntil, sentAt + LEASE_MS - CLAIM_MS);
  }

  /**
   * Resolves when reads may start: at once if none started in the last READ_SPACING_MS, else when
   * that much has passed since the last. Everyone waiting starts at the same moment, so consumers
   * at one position share one read.
   */
  private readSlotOpen(): Promise<void> {
    if (!this.readSlot) {
      const wait = this.lastReadAt + READ_SPACING_MS - Date.now();
      const opens =
        wait > 0 ? new Promise<void>((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
      this.readSlot = opens.then(() => {
        this.readSlot = undefined;
        this.lastReadAt = Date.now();
      });
    }
    return this.readSlot;
  }

  /** Tells the other processes' lease holders, at most once per READ_SPACING_MS (the last one). */
  private nudge(): void {
    if (this.nudgeTimer || this.stopping) return; // a request finishing during shutdown commits
    const wait = this.lastNudgeAt + READ_SPACING_MS - Date.now();
    const send = () => {
      this.nudgeTimer = undefined;
      this.lastNudgeAt = Date.now();
      this.nudges.send(this.owner);
    };
    if (wait <= 0) return send();
    this.nudgeTimer = setTimeout(send, wait);
    this.nudgeTimer.unref();
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
      // Maybe only this process cannot deliver: let another one try for a while, from what this
      // one delivered.
      await this.writeCursor(state).catch(() => undefined);
      state.leased = false;
      state.pausedUntil = Date.now() + 2 * CLAIM_MS;
      await this.store.release(this.owner, [name]).catch(() => undefined);
    }
  }
}
