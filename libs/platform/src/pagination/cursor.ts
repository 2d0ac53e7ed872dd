import { DomainError } from '../errors/domain-error.js';

/** A page of a keyset-paginated list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Opaque cursor: the sort key of the last item of a page, base64url JSON. */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** What each part of a sort key must be, so a forged cursor never reaches SQL as a bad value. */
export type CursorPart = 'string' | 'uuid' | 'timestamp' | 'int';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PART_CHECKS: Record<CursorPart, (value: unknown) => boolean> = {
  string: (v) => typeof v === 'string' && v.length <= 1_000,
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  timestamp: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
  // bigint ids arrive as digit strings
  int: (v) =>
    (typeof v === 'number' && Number.isSafeInteger(v)) ||
    (typeof v === 'string' && /^\d{1,18}$/.test(v)),
};

export function decodeCursor(cursor: string, shape: CursorPart[]): (string | number)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === shape.length &&
      shape.every((part, i) => PART_CHECKS[part](key[i]))
    ) {
      return key as (string | number)[];
    }
  } catch {
    // fall through
  }
  throw new DomainError('VALIDATION_FAILED', 'cursor is invalid');
}

/** Fetch `limit + 1` rows, then call this: it trims the extra row and builds the next cursor. */
export function toPage<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => (string | number)[],
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
