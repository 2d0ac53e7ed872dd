import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryPrepared } from '#libs/database';
import { OrderEvent } from './order.entity.js';
import { toEventView, type OrderEventView } from './order-view.js';

export type OrderEventHandler = (events: OrderEventView[]) => Promise<void>;

const POLL_MS = 1_000;
const BATCH = 200;
/** One relay at a time across all processes keeps each order's events in seq order. */
const RELAY_LOCK = 7_001;
const BUSY_RETRY_MS = 20;

/**
 * The transactional outbox relay: order_events rows are written in the transaction of their
 * change, then handed here to every registered handler after commit (tracking publishes them to
 * subscribers, jobs enqueues work). Nothing is announced that rolled back, and a row
 * stays unpublished (and is retried) until every handler took it. Runs in every process; after a
 * commit the process nudges it, and a poll catches whatever a crash or a Redis outage left behind.
 */
@Injectable()
export class OrderEventsRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrderEventsRelay.name);
  private readonly handlers: OrderEventHandler[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds a consumer of committed events (it must be idempotent: delivery is at least once). */
  register(handler: OrderEventHandler): void {
    this.handlers.push(handler);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.nudge(false), POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Publish soon. After a commit (`committed`), there is something to publish; the poll first
   * looks cheaply. Nudges during a pass coalesce into one more pass.
   */
  nudge(committed = true): void {
    if (this.running) {
      this.again ||= committed;
      return;
    }
    this.running = this.drain(committed)
      .then(() => undefined)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Publishes pending events until none are left; returns how many were published. */
  async drain(known = false): Promise<number> {
    let total = 0;
    for (let more = known; ; more = true) {
      const published = await this.publishBatch(more).catch((err: unknown) => {
        this.logger.warn({ err }, 'order event relay failed; will retry');
        return 0;
      });
      if (published === 'busy') {
        // Another process is relaying; look again shortly in case it missed our commit.
        setTimeout(() => this.nudge(false), BUSY_RETRY_MS).unref();
        return total;
      }
      total += published;
      if (published < BATCH) return total;
    }
  }

  /** One batch; `known` skips the look for pending rows (a commit or a full batch just said so). */
  private async publishBatch(known: boolean): Promise<number | 'busy'> {
    if (!known) {
      // One cheap look (partial index) before a transaction: the poll runs every second in every process.
      const pending: unknown[] = await this.dataSource.query(
        `SELECT 1 FROM order_events WHERE published_at IS NULL LIMIT 1`,
      );
      if (pending.length === 0) return 0;
    }
    return this.dataSource.transaction(async (m) => {
      const rows = await queryPrepared<{ locked: boolean } & Partial<OrderEvent>>(
        m,
        'relay-pending-events',
        `WITH relay AS MATERIALIZED (SELECT pg_try_advisory_xact_lock($1) AS locked)
         SELECT relay.locked, e.id, e.order_id AS "orderId", e.seq, e.type,
                e.from_status AS "fromStatus", e.to_status AS "toStatus", e.actor_id AS "actorId",
                e.actor_role AS "actorRole", e.reason, e.data, e.created_at AS "createdAt"
           FROM relay LEFT JOIN LATERAL (
             SELECT * FROM order_events WHERE relay.locked AND published_at IS NULL ORDER BY id LIMIT $2
           ) e ON true`,
        [RELAY_LOCK, BATCH],
      );
      if (!rows[0]?.locked) return 'busy';
      const events = rows.filter((r) => r.id != null) as OrderEvent[];
      if (events.length === 0) return 0;
      const views = events.map(toEventView);
      for (const handler of this.handlers) await handler(views);
      await m.query(`UPDATE order_events SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        events.map((e) => e.id),
      ]);
      return events.length;
    });
  }
}
