import type { Clock } from './domain/lifecycle/clock';

/**
 * The one clock of a sector service: casework decides with it, the consent override stamps with
 * it, the SLA scheduler and the lists' SLA flags read it. The system clock, unless a test gives
 * SectorModule a fixed one (`clock`), which then serves all of them alike.
 */
export const SECTOR_CLOCK = Symbol('SECTOR_CLOCK');

export const systemClock: Clock = { now: () => new Date() };
