import { classifyFailure, errorClassOf } from './failure-kind';

/** Shaped as pg's DatabaseError and TypeORM's QueryFailedError (which copies the driver's fields). */
const pgError = (code: string) => Object.assign(new Error('database said no'), { code });
const queryFailed = (code: string) =>
  Object.assign(new Error('database said no'), { name: 'QueryFailedError', driverError: pgError(code) });
const systemError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

describe('classifyFailure', () => {
  it.each(['08006', '08P01', '53300', '57P01', '57014', '58030', '40001', '40P01', '55P03'])(
    'waits for the infrastructure on SQLSTATE %s',
    (state) => {
      expect(classifyFailure(pgError(state))).toBe('transient');
      expect(classifyFailure(queryFailed(state))).toBe('transient');
    },
  );

  it('waits on a connection refused, reset or cut, and on an exhausted pool', () => {
    expect(classifyFailure(systemError('ECONNREFUSED'))).toBe('transient');
    expect(classifyFailure(systemError('ECONNRESET'))).toBe('transient');
    expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(classifyFailure(new Error('timeout exceeded when trying to connect'))).toBe('transient');
    const closed = Object.assign(new Error('database "ruta" is not currently accepting connections'), {
      code: '55000',
    });
    expect(classifyFailure(closed)).toBe('transient');
    expect(classifyFailure(pgError('55000'))).toBe('unexpected');
  });

  it('dead-letters data PostgreSQL refuses (classes 22 and 23)', () => {
    expect(classifyFailure(queryFailed('22P02'))).toBe('permanent');
    expect(classifyFailure(queryFailed('22021'))).toBe('permanent');
    expect(classifyFailure(queryFailed('23514'))).toBe('permanent');
    expect(classifyFailure(pgError('23503'))).toBe('permanent');
  });

  it('retries a unique violation as a race between partition owners, on the bounded path', () => {
    expect(classifyFailure(queryFailed('23505'))).toBe('unexpected');
  });

  it('bounds everything else: program errors and other SQLSTATEs', () => {
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe('unexpected');
    expect(classifyFailure(new RangeError('Maximum call stack size exceeded'))).toBe('unexpected');
    expect(classifyFailure(queryFailed('42P01'))).toBe('unexpected');
    expect(classifyFailure(queryFailed('XX000'))).toBe('unexpected');
    expect(classifyFailure('a string thrown')).toBe('unexpected');
    expect(classifyFailure(null)).toBe('unexpected');
  });

  it('names an error by its class and SQLSTATE, never by its message', () => {
    expect(errorClassOf(new TypeError('Maria Perez'))).toBe('TypeError');
    expect(errorClassOf(queryFailed('23505'))).toBe('QueryFailedError (SQLSTATE 23505)');
    expect(errorClassOf('Maria Perez')).toBe('string');
  });
});
