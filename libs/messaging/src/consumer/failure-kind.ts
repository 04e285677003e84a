import { isPermanentDatabaseError, sqlStateOf } from '@ruta/persistence';

/**
 * How the runner treats a failed batch: `transient` waits for the infrastructure (retried without
 * end, the partition waits, order kept); `permanent` is data PostgreSQL refuses (dead-lettered one
 * message at a time); `unexpected` is retried a bounded number of times, then parked by key.
 */
export type FailureKind = 'transient' | 'permanent' | 'unexpected';

/** SQLSTATE classes of a connection lost, resources exhausted, an operator's intervention, a system error. */
const TRANSIENT_CLASSES = ['08', '53', '57', '58'];
/** Serialization failure, deadlock, lock not available: the loser may simply run again. */
const TRANSIENT_STATES = new Set(['40001', '40P01', '55P03']);
/** A unique violation is a race between a stale and a new partition owner: retried, never dead-lettered. */
const RACE_STATES = new Set(['23505']);
/** Node's system errors of a network that failed. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/**
 * pg's own messages for a lost connection or an exhausted pool (they carry no code), and a database
 * closed to connections (SQLSTATE 55000, a class that otherwise means a program error).
 */
const CONNECTION_MESSAGES = [
  /^database ".*" is not currently accepting connections$/,
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /^Client has encountered a connection error/,
  /^Client was closed and is not queryable/,
  /^Query read timeout/,
];

export function classifyFailure(error: unknown): FailureKind {
  const cause = (error as { driverError?: unknown } | null)?.driverError ?? error;
  const message = (cause as { message?: unknown } | null)?.message;
  if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => m.test(message))) return 'transient';
  const state = sqlStateOf(error);
  if (state !== undefined) {
    if (TRANSIENT_STATES.has(state) || TRANSIENT_CLASSES.includes(state.slice(0, 2))) return 'transient';
    if (RACE_STATES.has(state)) return 'unexpected';
    return isPermanentDatabaseError(error) ? 'permanent' : 'unexpected';
  }
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'transient';
  return 'unexpected';
}

/** The error's class for a log line or a parked row: its name and SQLSTATE, never its message. */
export function errorClassOf(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const state = sqlStateOf(error);
  return state === undefined ? name : `${name} (SQLSTATE ${state})`;
}
