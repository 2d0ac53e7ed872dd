import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '#libs/platform';

/** Keys are kept this long (the IETF draft and Stripe: at least 24 h). */
export const IDEMPOTENCY_RETENTION = '24 hours';

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

export interface StoredRow {
  request_hash: string;
  response_status: number;
  response_body: unknown;
}

/** The response stored under a key, or undefined; 422 if the key came with another body. */
export function storedResponse(
  row: StoredRow | undefined,
  hash: string,
): StoredResponse | undefined {
  if (!row) return undefined;
  if (row.request_hash !== hash) {
    throw new DomainError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with a different request body',
    );
  }
  return { status: row.response_status, body: row.response_body };
}

/** 409: another request with this key is still running. */
export function keyInUse(): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_IN_USE',
    'A request with this Idempotency-Key is still in progress',
  );
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
  async replay(userId: string, key: string, hash: string): Promise<StoredResponse | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT request_hash, response_status, response_body FROM idempotency_keys
        WHERE user_id = $1 AND key = $2 AND expires_at > now()`,
      [userId, key],
    );
    return storedResponse(row, hash);
  }

  async purgeExpired(): Promise<number> {
    const [, count] = await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE expires_at < now()`,
    );
    return Number(count ?? 0);
  }
}
