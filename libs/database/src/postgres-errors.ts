import { QueryFailedError } from 'typeorm';

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
