import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { userNotErasedSql } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { JobProducer } from '#libs/jobs';
import { decodeCursor, DomainError, NotFoundError, toPage, type Page } from '#libs/platform';
import type { EmailKind } from '../preferences/notification-kinds.js';
import { EmailDelivery, type EmailDeliveryState } from './email-delivery.entity.js';
import type { EmailContent } from './email-templates.js';

export interface NewEmailDelivery {
  userId: string;
  kind: EmailKind;
  /** Same key for the same user and kind = the same email (jobs may run twice). */
  dedupeKey: string;
  orderId?: string | null;
  /** Rendered now (order emails); null: rendered when sent (security emails). */
  content?: EmailContent | null;
}

export interface EmailDeliveryView {
  id: string;
  userId: string;
  kind: string;
  orderId: string | null;
  state: EmailDeliveryState;
  attempts: number;
  lastError: string | null;
  messageId: string;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

const view = (d: EmailDelivery): EmailDeliveryView => ({
  id: d.id,
  userId: d.userId,
  kind: d.kind,
  orderId: d.orderId,
  state: d.state,
  attempts: d.attempts,
  lastError: d.lastError,
  messageId: d.messageId,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
  sentAt: d.sentAt?.toISOString() ?? null,
});

/** The domain of MAIL_FROM, for Message-IDs (`<delivery id@domain>`). */
export function mailDomain(from: string): string {
  return /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'flashcart.local';
}

/**
 * The record of every email (`email_deliveries`): recorded before it is sent, then one BullMQ job
 * sends it (retries with backoff), marks it sent, or dead after EMAIL_MAX_ATTEMPTS.
 */
@Injectable()
export class EmailDeliveries {
  private readonly logger = new Logger(EmailDeliveries.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly producer: JobProducer,
  ) {}

  get enabled(): boolean {
    return this.config.email.enabled;
  }

  /**
   * Records the email once (by dedupe key) and enqueues its job while it is pending. An enqueue
   * that fails (Redis away) is left to the sweeper: the row is the promise, the job a reminder.
   */
  async record(input: NewEmailDelivery): Promise<void> {
    if (!this.enabled) return;
    const id = randomUUID();
    await this.dataSource.query(
      // Nothing for an erased account (its address is gone; an order still in flight notifies in
      // the app only): the condition share-locks the users row, as the inbox's write does.
      `INSERT INTO email_deliveries (id, user_id, kind, dedupe_key, order_id, content, message_id)
       SELECT $1, $2, $3, $4, $5, $6, $7 WHERE ${userNotErasedSql('$2::uuid')}
       ON CONFLICT (user_id, kind, dedupe_key) DO NOTHING`,
      [
        id,
        input.userId,
        input.kind,
        input.dedupeKey,
        input.orderId ?? null,
        input.content ?? null,
        `<${id}@${mailDomain(this.config.email.from)}>`,
      ],
    );
    const row = await this.dataSource.getRepository(EmailDelivery).findOneBy({
      userId: input.userId,
      kind: input.kind,
      dedupeKey: input.dedupeKey,
    });
    if (row?.state !== 'pending') return;
    await this.producer
      .sendEmails([{ deliveryId: row.id, generation: row.generation }])
      .catch((err: unknown) =>
        this.logger.warn(
          { err, deliveryId: row.id },
          'email recorded; its job waits for the sweeper',
        ),
      );
  }

  get(id: string): Promise<EmailDelivery | null> {
    return this.dataSource.getRepository(EmailDelivery).findOneBy({ id });
  }

  async markSent(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE email_deliveries SET state = 'sent', sent_at = now(), updated_at = now(),
              attempts = attempts + 1, last_error = NULL
        WHERE id = $1 AND state = 'pending'`,
      [id],
    );
  }

  /** A failed attempt; the last one makes the delivery dead (listed for ops). */
  async markFailed(id: string, error: string, last: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE email_deliveries
          SET attempts = attempts + 1, last_error = left($2, 1000), updated_at = now(),
              state = CASE WHEN $3 THEN 'dead' ELSE state END
        WHERE id = $1 AND state = 'pending'`,
      [id, error, last],
    );
  }

  /** For ops: by state, newest change first, keyset paginated on (updated_at, id). */
  async list(filter: {
    state?: EmailDeliveryState;
    limit: number;
    cursor?: string;
  }): Promise<Page<EmailDeliveryView>> {
    const query = this.dataSource
      .getRepository(EmailDelivery)
      .createQueryBuilder('d')
      .orderBy('d.updated_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.state) query.andWhere('d.state = :state', { state: filter.state });
    if (filter.cursor) {
      const [updatedAt, id] = decodeCursor(filter.cursor, ['timestamp', 'uuid']);
      query.andWhere('(d.updated_at, d.id) < (:updatedAt, :id)', { updatedAt, id });
    }
    const page = toPage(await query.getMany(), filter.limit, (d) => [
      d.updatedAt.toISOString(),
      d.id,
    ]);
    return { items: page.items.map(view), nextCursor: page.nextCursor };
  }

  /** Ops: a dead delivery back to pending with fresh attempts (a new job generation). */
  async retry(id: string): Promise<EmailDeliveryView> {
    const repo = this.dataSource.getRepository(EmailDelivery);
    const before = await repo.findOneBy({ id });
    if (!before) throw new NotFoundError('Email delivery');
    const [rows] = (await this.dataSource.query(
      `UPDATE email_deliveries
          SET state = 'pending', attempts = 0, generation = generation + 1, updated_at = now()
        WHERE id = $1 AND state = 'dead' RETURNING generation`,
      [id],
    )) as [{ generation: number }[], number];
    if (!rows[0]) {
      throw new DomainError(
        'EMAIL_NOT_DEAD',
        `Only a dead email can be retried; this one is ${before.state}`,
        { state: before.state },
      );
    }
    await this.producer.sendEmails([{ deliveryId: id, generation: rows[0].generation }]);
    return view(await repo.findOneByOrFail({ id }));
  }

  /** Re-enqueues pending deliveries untouched for a minute (their job may be gone with Redis). */
  async sweep(): Promise<number> {
    const rows: { id: string; generation: number }[] = await this.dataSource.query(
      `SELECT id, generation FROM email_deliveries
        WHERE state = 'pending' AND updated_at < now() - interval '1 minute'
        ORDER BY updated_at LIMIT 1000`,
    );
    await this.producer.sendEmails(
      rows.map((r) => ({ deliveryId: r.id, generation: r.generation })),
    );
    return rows.length;
  }

  /** Data rights: every email we recorded for the user, with its content. */
  async exportFor(userId: string): Promise<Record<string, unknown>[]> {
    const rows = await this.dataSource
      .getRepository(EmailDelivery)
      .find({ where: { userId }, order: { createdAt: 'ASC' } });
    return rows.map((d) => ({ ...view(d), content: d.content }));
  }

  async eraseFor(userId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM email_deliveries WHERE user_id = $1`, [userId]);
  }
}
