import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '#libs/platform';

/** Keys are kept this long (the IETF draft and Stripe: at least 24 h). */
const RETENTION = '24 hours';
/** A request that crashed mid-way frees its key after this long. */
const LOCK = '30 seconds';

export type Begin = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown };

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
 */
@Injectable()
export class IdempotencyKeys {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async begin(userId: string, key: string, hash: string): Promise<Begin> {
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, state, locked_until, expires_at)
       VALUES ($1, $2, $3, 'started', now() + interval '${LOCK}', now() + interval '${RETENTION}')
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'started', response_status = NULL,
             response_body = NULL, locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at,
             created_at = now()
         WHERE idempotency_keys.expires_at < now()
            OR (idempotency_keys.state = 'started' AND idempotency_keys.locked_until < now()
                AND idempotency_keys.request_hash = EXCLUDED.request_hash)
       RETURNING 1`,
      [userId, key, hash],
    );
    if (claimed.length > 0) return { kind: 'new' };

    const [row] = await this.dataSource.query(
      `SELECT request_hash, state, response_status, response_body FROM idempotency_keys
        WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    if (!row) return this.begin(userId, key, hash); // deleted meanwhile: try again
    if (row.request_hash !== hash) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different request body',
      );
    }
    if (row.state === 'started') {
      throw new DomainError(
        'IDEMPOTENCY_KEY_IN_USE',
        'A request with this Idempotency-Key is still in progress',
      );
    }
    return { kind: 'replay', status: row.response_status, body: row.response_body };
  }

  /** Stores the response in the same transaction as the work it describes. */
  async complete(
    m: EntityManager,
    userId: string,
    key: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await m.query(
      `UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4
        WHERE user_id = $1 AND key = $2`,
      [userId, key, status, JSON.stringify(body)],
    );
  }

  /** The request failed and wrote nothing: the key may be used again. */
  async release(userId: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND state = 'started'`,
      [userId, key],
    );
  }

  async purgeExpired(): Promise<number> {
    const [, count] = await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE expires_at < now()`,
    );
    return Number(count ?? 0);
  }
}
