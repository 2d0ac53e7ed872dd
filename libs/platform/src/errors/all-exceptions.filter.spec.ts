import { jest } from '@jest/globals';
import { Logger, ServiceUnavailableException, type ArgumentsHost } from '@nestjs/common';
import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { AllExceptionsFilter, toErrorBody } from './all-exceptions.filter.js';

/** A pg DatabaseError as the driver raises it (SQLSTATE in `code`). */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}
const queryFailed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('toErrorBody: PostgreSQL failures', () => {
  it.each([
    ['22P05 untranslatable character (NUL in jsonb)', '22P05'],
    ['22021 invalid byte sequence (NUL in text)', '22021'],
    ['22P02 invalid text representation', '22P02'],
    ['22003 numeric value out of range', '22003'],
  ])('%s → 400 VALIDATION_FAILED, without the database text', (_name, code) => {
    const body = toErrorBody(
      queryFailed(pgError(code, 'invalid input syntax for type uuid')),
      'r1',
    );
    expect(body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', requestId: 'r1' });
    expect(JSON.stringify(body)).not.toContain('syntax');
  });

  it.each([
    ['57P01 admin_shutdown', queryFailed(pgError('57P01', 'terminating connection'))],
    ['57P03 cannot connect now', pgError('57P03', 'the database system is starting up')],
    ['08006 connection failure', pgError('08006', 'connection failure')],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a lost connection', queryFailed(new Error('Connection terminated unexpectedly'))],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    // A connection killed between two statements of a TypeORM transaction (an outside test).
    ['a query runner released by a lost connection', new QueryRunnerAlreadyReleasedError()],
    ['its connection released likewise', new QueryRunnerProviderAlreadyReleasedError()],
    ['40P01 deadlock detected', queryFailed(pgError('40P01', 'deadlock detected'))],
    ['40001 serialization failure', pgError('40001', 'could not serialize access')],
    ['55P03 a lock not taken within lock_timeout', queryFailed(pgError('55P03', 'lock timeout'))],
  ])('%s → 503 DATABASE_UNAVAILABLE', (_name, error) => {
    expect(toErrorBody(error, 'r2')).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'DATABASE_UNAVAILABLE',
      requestId: 'r2',
    });
  });

  it('anything else stays a 500 without details', () => {
    expect(toErrorBody(pgError('42P01', 'relation "x" does not exist'), 'r3')).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'INTERNAL_ERROR',
      message: 'Internal server error',
      requestId: 'r3',
    });
  });
});

describe('AllExceptionsFilter logging', () => {
  function hostFor(reply: Record<string, ReturnType<typeof jest.fn>>): ArgumentsHost {
    return {
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => ({ id: 'req-1' }), getResponse: () => reply }),
    } as unknown as ArgumentsHost;
  }
  function reply() {
    const r: Record<string, ReturnType<typeof jest.fn>> = {};
    for (const name of ['status', 'header', 'send']) r[name] = jest.fn(() => r);
    return r;
  }

  afterEach(() => jest.restoreAllMocks());

  it('a 503 (a health probe with a dependency down, a database outage) is a warning', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const filter = new AllExceptionsFilter();
    filter.catch(new ServiceUnavailableException('Not ready: redis down'), hostFor(reply()));
    filter.catch(pgError('57P01', 'terminating connection'), hostFor(reply()));
    expect(warn).toHaveBeenCalledTimes(2);
    expect(error).not.toHaveBeenCalled();
  });

  it('a 500 is an error', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    new AllExceptionsFilter().catch(new Error('bug'), hostFor(reply()));
    expect(error).toHaveBeenCalledTimes(1);
  });
});
