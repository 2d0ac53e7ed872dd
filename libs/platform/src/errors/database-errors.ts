import { DomainError } from './domain-error.js';

/**
 * PostgreSQL failures that are not bugs, as the client should see them. This lib sits below
 * the database lib, so errors are recognised by shape: TypeORM's QueryFailedError carries the
 * driver's error (SQLSTATE in `code`), a lost connection is a plain Error from pg.
 */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|terminating connection/i;
/** TypeORM releases a transaction's query runner when its connection fails mid-transaction. */
const RELEASED_RUNNER = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
]);

type ErrorLike = Record<string, unknown> & { message: string };

/** By shape, not `instanceof Error`: errors from Node's sockets may come from another realm. */
function isErrorLike(e: unknown): e is ErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as ErrorLike).message === 'string';
}

function sqlStateOf(e: Record<string, unknown>): string | undefined {
  const code = e.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** A DomainError for a database failure the client can act on, or undefined for anything else. */
export function databaseFailureAsDomainError(exception: unknown): DomainError | undefined {
  if (!isErrorLike(exception) || exception instanceof DomainError) return undefined;
  const candidates = [exception, exception.driverError].filter(isErrorLike);
  for (const e of candidates) {
    const state = sqlStateOf(e);
    // Class 22, data exception: a value PostgreSQL cannot take (NUL in text, out of range...).
    if (state?.startsWith('22')) {
      return new DomainError('VALIDATION_FAILED', 'A value in the request is not acceptable');
    }
    // Class 40, a deadlock or a serialization failure: the transaction was rolled back because
    // of a concurrent one (our lock orders should make this rare), or 55P03, a lock a statement
    // was allowed to wait for only so long (`lock_timeout`) was held longer: retrying is safe.
    if (state === '40P01' || state === '40001' || state === '55P03') {
      return new DomainError(
        'DATABASE_UNAVAILABLE',
        'A concurrent request got in the way; retry the request',
      );
    }
    // Class 08 connection exception, 57P01-03 shutdown / cannot connect now, 53300 too many
    // connections, and the connection errors Node, pg and TypeORM raise: the request may be retried.
    if (
      RELEASED_RUNNER.has(String(e.name)) ||
      state?.startsWith('08') ||
      state === '57P01' ||
      state === '57P02' ||
      state === '57P03' ||
      state === '53300' ||
      (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) ||
      (!state && CONNECTION_MESSAGES.test(e.message))
    ) {
      return new DomainError(
        'DATABASE_UNAVAILABLE',
        'The database is unavailable; retry the request shortly',
      );
    }
  }
  return undefined;
}
