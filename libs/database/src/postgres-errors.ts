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
