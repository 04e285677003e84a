/**
 * PostgreSQL errors by SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 * TypeORM's QueryFailedError carries the driver's `code`; so do pg's own errors.
 */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const own = (error as { code?: unknown }).code;
  const driver = (error as { driverError?: { code?: unknown } }).driverError?.code;
  const code = typeof own === 'string' ? own : driver;
  // Five characters with a digit: SQLSTATE, not a system error such as EPIPE.
  return typeof code === 'string' && /^(?=.*\d)[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * PostgreSQL refused the data itself: a data exception (class 22, e.g. a date out of range or a NUL
 * character) or an integrity violation (class 23). Running the same statement again cannot succeed.
 */
export function isPermanentDatabaseError(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/** Two transactions collided (serialization failure, deadlock): the loser may simply run again. */
export function isDatabaseConflict(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state === '40001' || state === '40P01';
}

/**
 * An error as a log line may show it. PostgreSQL messages can quote the value at fault (`invalid
 * input syntax for type uuid: "..."`), which may be personal data: database errors are named by
 * SQLSTATE only. Other errors (connection refused, timeouts) keep their message.
 */
export function describeError(error: unknown): string {
  const name = (error as Error | undefined)?.name ?? 'Error';
  const state = sqlStateOf(error);
  if (state !== undefined) return `${name} (SQLSTATE ${state})`;
  return `${name}: ${(error as Error | undefined)?.message ?? String(error)}`;
}
