import { describeError, isDatabaseConflict, isPermanentDatabaseError, sqlStateOf } from './database-errors';

/** Shaped as pg's DatabaseError and TypeORM's QueryFailedError (which copies the driver's fields). */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
const queryFailed = (code: string, message: string) =>
  Object.assign(new Error(message), { name: 'QueryFailedError', driverError: pgError(code, message) });

describe('database errors', () => {
  it('reads the SQLSTATE from the error or its driver error, and nothing from system errors', () => {
    expect(sqlStateOf(pgError('23514', 'check'))).toBe('23514');
    expect(sqlStateOf(queryFailed('22021', 'invalid byte sequence'))).toBe('22021');
    expect(sqlStateOf(pgError('EPIPE', 'broken pipe'))).toBeUndefined();
    expect(sqlStateOf(pgError('ECONNREFUSED', 'connect ECONNREFUSED'))).toBeUndefined();
    expect(sqlStateOf('not an error')).toBeUndefined();
  });

  it('calls data exceptions and integrity violations permanent, and only those', () => {
    expect(isPermanentDatabaseError(queryFailed('22008', 'date/time field value out of range'))).toBe(true);
    expect(isPermanentDatabaseError(pgError('23505', 'duplicate key'))).toBe(true);
    expect(isPermanentDatabaseError(pgError('57P01', 'terminating connection due to administrator command'))).toBe(
      false,
    );
    expect(isPermanentDatabaseError(pgError('40P01', 'deadlock detected'))).toBe(false);
    expect(isPermanentDatabaseError(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isDatabaseConflict(pgError('40P01', 'deadlock detected'))).toBe(true);
    expect(isDatabaseConflict(pgError('40001', 'could not serialize access'))).toBe(true);
    expect(isDatabaseConflict(pgError('23505', 'duplicate key'))).toBe(false);
  });

  it('describes database errors by SQLSTATE only: their messages can quote the value at fault', () => {
    const error = queryFailed('22P02', 'invalid input syntax for type uuid: "Maria Perez"');
    expect(describeError(error)).toBe('QueryFailedError (SQLSTATE 22P02)');
    expect(describeError(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
    );
  });
});
