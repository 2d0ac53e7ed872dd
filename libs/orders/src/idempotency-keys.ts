import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '#libs/platform';

/** Keys are kept this long (the IETF draft and Stripe: at least 24 h). */
const RETENTION = '24 hours';

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** JSON with sorted keys, so that the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * Idempotency-Key handling (IETF draft / Stripe): the same key and body replay the first
 * response; a different body is 422; the same key while the first request runs is 409.
 * The key and its response are written in the transaction of the work itself (no extra commit,
 * nothing left behind by a failure); "running" is an advisory lock held by that transaction.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The stored response for this key, or undefined; 422 if the key came with another body. */
  async replay(
    m: EntityManager | undefined,
    userId: string,
    key: string,
    hash: string,
  ): Promise<StoredResponse | undefined> {
    const [row] = await (m ?? this.dataSource.manager).query(
      `SELECT request_hash, response_status, response_body FROM idempotency_keys
        WHERE user_id = $1 AND key = $2 AND expires_at > now()`,
      [userId, key],
    );
    if (!row) return undefined;
    if (row.request_hash !== hash) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different request body',
      );
    }
    return { status: row.response_status, body: row.response_body };
  }

  /** Marks the key in use for the caller's transaction; 409 if another request holds it. */
  async claim(m: EntityManager, userId: string, key: string): Promise<void> {
    const [{ locked }] = await m.query(
      `SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS locked`,
      [userId, key],
    );
    if (!locked) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_IN_USE',
        'A request with this Idempotency-Key is still in progress',
      );
    }
  }

  /** Stores the response in the same transaction as the work it describes. */
  async store(
    m: EntityManager,
    userId: string,
    key: string,
    hash: string,
    response: StoredResponse,
  ): Promise<void> {
    await m.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + interval '${RETENTION}')
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
             response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at <= now()`,
      [userId, key, hash, response.status, JSON.stringify(response.body)],
    );
  }

  async purgeExpired(): Promise<number> {
    const [, count] = await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE expires_at < now()`,
    );
    return Number(count ?? 0);
  }
}
