import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
    this.timer = setInterval(() => this.nudge(), POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Publish soon (call after a commit); concurrent nudges coalesce into one more pass. */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
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
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch().catch((err: unknown) => {
        this.logger.warn({ err }, 'order event relay failed; will retry');
        return 0;
      });
      if (published === 'busy') {
        // Another process is relaying; look again shortly in case it missed our commit.
        setTimeout(() => this.nudge(), BUSY_RETRY_MS).unref();
        return total;
      }
      total += published;
      if (published < BATCH) return total;
    }
  }

  private async publishBatch(): Promise<number | 'busy'> {
    // One cheap look (partial index) before a transaction: the poll runs every second in every process.
    const pending: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM order_events WHERE published_at IS NULL LIMIT 1`,
    );
    if (pending.length === 0) return 0;
    return this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [
        RELAY_LOCK,
      ]);
      if (!locked) return 'busy';
      const events = await m
        .getRepository(OrderEvent)
        .createQueryBuilder('e')
        .where('e.published_at IS NULL')
        .orderBy('e.id', 'ASC')
        .limit(BATCH)
        .getMany();
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
