import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryPrepared } from '#libs/database';
import type { OrderEvent } from '../order.entity.js';
import { toEventView, type OrderEventView } from '../order-view.js';

/** A position in the outbox: events are read in (transaction id, event id) order. */
export interface OutboxCursor {
  /** xid8 as decimal text (it can exceed 2^53). */
  tx: string;
  id: string;
}

interface PendingAdvance {
  owner: string;
  name: string;
  to: OutboxCursor;
  delivered: number;
  leaseMs: number;
  resolve: (kept: boolean) => void;
  reject: (err: unknown) => void;
}

export interface OutboxBatch {
  events: OrderEventView[];
  /** The position after the last event of the batch. */
  last: OutboxCursor | undefined;
}

/** Compares two cursors: negative, zero or positive. */
export function compareCursors(a: OutboxCursor, b: OutboxCursor): number {
  const tx = BigInt(a.tx) - BigInt(b.tx);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  const id = BigInt(a.id) - BigInt(b.id);
  return id === 0n ? 0 : id < 0n ? -1 : 1;
}

/**
 * The SQL of the outbox: consumer cursors and leases in `outbox_consumers`, events from
 * `order_events`. Every statement runs on its own (no transaction is held while a consumer
 * talks to Redis). A lease makes one process at a time deliver for a consumer, which keeps its
 * events in order; it expires on its own if that process dies.
 */
@Injectable()
export class OutboxStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates the cursors of consumers never seen before. A new consumer starts with the events of
   * transactions still running or committed since the oldest of them began (at least once).
   */
  async register(names: string[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO outbox_consumers (name, cursor_tx, cursor_id)
       SELECT name, pg_snapshot_xmin(pg_current_snapshot()), 0 FROM unnest($1::text[]) AS c(name)
       ON CONFLICT (name) DO NOTHING`,
      [names],
    );
  }

  /**
   * Renews the leases `owner` holds and takes those that expired; returns the consumers it now
   * leads, with their cursors.
   */
  async claim(owner: string, names: string[], leaseMs: number): Promise<Map<string, OutboxCursor>> {
    const rows = await queryPrepared<{ name: string; tx: string; id: string }>(
      this.dataSource.manager,
      'outbox-claim',
      `UPDATE outbox_consumers
          SET lease_owner = $1, lease_until = now() + make_interval(secs => $3 / 1000.0)
        WHERE name = ANY($2::text[]) AND (lease_owner = $1 OR lease_until < now())
        RETURNING name, cursor_tx::text AS tx, cursor_id::text AS id`,
      [owner, names, leaseMs],
    );
    return new Map(rows.map((r) => [r.name, { tx: r.tx, id: r.id }]));
  }

  /** Gives the leases back (at shutdown, or after repeated failures) so another process takes over. */
  async release(owner: string, names: string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_consumers SET lease_until = '-infinity'
        WHERE lease_owner = $1 AND name = ANY($2::text[])`,
      [owner, names],
    );
  }

  /**
   * The newest event's position, to skip reading for consumers that are up to date. ORDER BY
   * names the table's columns (`e.tx`): a bare `tx` would be the text output column, which sorts
   * "99998" after "100003" once transaction ids gain a digit (and cannot use the index).
   */
  async head(): Promise<OutboxCursor | undefined> {
    const [row] = await queryPrepared<OutboxCursor>(
      this.dataSource.manager,
      'outbox-head',
      `SELECT e.tx::text AS tx, e.id::text AS id FROM order_events e
        ORDER BY e.tx DESC, e.id DESC LIMIT 1`,
      [],
    );
    return row;
  }

  /**
   * The next events after `after` that can be delivered: only those whose transaction is older
   * than every transaction still running, so none can appear before them later.
   */
  async read(after: OutboxCursor, limit: number): Promise<OutboxBatch> {
    const rows = await queryPrepared<OrderEvent & { tx: string }>(
      this.dataSource.manager,
      'outbox-read',
      `SELECT e.tx::text AS tx, e.id::text AS id, e.order_id AS "orderId", e.seq, e.type,
              e.from_status AS "fromStatus", e.to_status AS "toStatus", e.actor_id AS "actorId",
              e.actor_role AS "actorRole", e.reason, e.data, e.created_at AS "createdAt"
         FROM order_events e
        WHERE (e.tx, e.id) > ($1::xid8, $2::bigint)
          AND e.tx < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY e.tx, e.id
        LIMIT $3`,
      [after.tx, after.id, limit],
    );
    const tail = rows.at(-1);
    return { events: rows.map(toEventView), last: tail && { tx: tail.tx, id: tail.id } };
  }

  /**
   * Moves a consumer's cursor forward; false when `owner` no longer holds its lease. Advances
   * asked for while one is being written go out together in the next statement (one UPDATE for
   * every consumer that finished a batch meanwhile), each caller answered for its own consumer.
   */
  advance(
    owner: string,
    name: string,
    to: OutboxCursor,
    delivered: number,
    leaseMs: number,
  ): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.advances.push({ owner, name, to, delivered, leaseMs, resolve, reject });
      if (this.advancing) return;
      this.advancing = true;
      // After this turn of the event loop: the consumers finishing in it go out together.
      setImmediate(() => void this.writeAdvances());
    });
  }

  private readonly advances: PendingAdvance[] = [];
  private advancing = false;

  /** Writes the queued advances, one statement per owner and lease length, until none is left. */
  private async writeAdvances(): Promise<void> {
    try {
      while (this.advances.length > 0) {
        const queued = this.advances.splice(0);
        const groups = new Map<string, PendingAdvance[]>();
        for (const a of queued) {
          const key = `${a.owner}\n${a.leaseMs}`;
          groups.set(key, [...(groups.get(key) ?? []), a]);
        }
        await Promise.all([...groups.values()].map((group) => this.writeGroup(group)));
      }
    } finally {
      this.advancing = false;
    }
  }

  private async writeGroup(group: PendingAdvance[]): Promise<void> {
    const [{ owner, leaseMs }] = group as [PendingAdvance];
    try {
      const rows = await queryPrepared<{ name: string }>(
        this.dataSource.manager,
        'outbox-advance',
        `UPDATE outbox_consumers c
            SET cursor_tx = a.tx, cursor_id = a.id, delivered = c.delivered + a.delivered,
                lease_until = now() + make_interval(secs => $6 / 1000.0), updated_at = now()
           FROM unnest($2::text[], $3::xid8[], $4::bigint[], $5::int[]) AS a(name, tx, id, delivered)
          WHERE c.name = a.name AND c.lease_owner = $1
          RETURNING c.name`,
        [
          owner,
          group.map((a) => a.name),
          group.map((a) => a.to.tx),
          group.map((a) => a.to.id),
          group.map((a) => a.delivered),
          leaseMs,
        ],
      );
      const kept = new Set(rows.map((r) => r.name));
      for (const a of group) a.resolve(kept.has(a.name));
    } catch (err) {
      for (const a of group) a.reject(err);
    }
  }

  /** The oldest transaction with an id in the cluster: what holds delivery back when it stalls. */
  async oldestTransaction(): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT pid, datname AS database, usename AS "user", state,
              round(extract(epoch FROM now() - xact_start))::int AS "ageSeconds",
              left(query, 200) AS "lastQuery"
         FROM pg_stat_activity WHERE backend_xid IS NOT NULL ORDER BY xact_start LIMIT 1`,
    );
    return row;
  }
}
