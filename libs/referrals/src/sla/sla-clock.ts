import type { Clock } from '../domain/lifecycle/clock';

/** The clock the SLA scheduler and the SLA flags of lists read: the system clock, replaced in tests. */
export const SLA_CLOCK = Symbol('SLA_CLOCK');

export const systemClock: Clock = { now: () => new Date() };
