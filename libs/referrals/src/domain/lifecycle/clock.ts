/** The decider's only time source: injected, so specs fix it and a replay reproduces it. */
export interface Clock {
  now(): Date;
}

/** A clock that always answers the same instant (specs, replays). */
export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  return { now: () => new Date(instant) };
}
