import { QueryFailedError } from 'typeorm';
import { DomainError, type ErrorCode } from '#libs/platform';

/** True when a query failed on the named unique constraint (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError = (error as QueryFailedError | undefined)?.driverError as
    { code?: string; constraint?: string } | undefined;
  return (
    error instanceof QueryFailedError &&
    driverError?.code === '23505' &&
    driverError.constraint === constraint
  );
}

/** Runs a write; a violation of `constraint` becomes a 409 DomainError with this message. */
export async function conflictOnUnique<T>(
  run: () => Promise<T>,
  constraint: string,
  message: string,
  code: ErrorCode = 'CONFLICT',
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e, constraint)) throw new DomainError(code, message);
    throw e;
  }
}

/** SQLSTATE raise_exception: what our PL/pgSQL rules raise, with their code in DETAIL. */
const RAISED_BY_A_RULE = 'P0001';

/**
 * The code a database rule refused a statement with (`RAISE … USING ERRCODE = 'P0001', DETAIL =
 * '<code>'`), or undefined for any other failure. Read from pg's error or TypeORM's wrapper of it;
 * never from the message text, which is for people.
 */
export function refusalOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; detail?: unknown; driverError?: unknown } | null;
  const cause = (e?.driverError ?? e) as { code?: unknown; detail?: unknown } | null;
  return cause?.code === RAISED_BY_A_RULE && typeof cause.detail === 'string'
    ? cause.detail
    : undefined;
}
