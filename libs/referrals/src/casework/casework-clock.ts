import type { Clock } from '../domain/lifecycle';

/** The clock casework decides with: the system clock, replaced in tests through this token. */
export const CASEWORK_CLOCK = Symbol('CASEWORK_CLOCK');

export const systemClock: Clock = { now: () => new Date() };
