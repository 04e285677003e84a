import { family } from './families';
import type { GroupContext, GroupPlan, ScenarioPerson } from './groups';
import { loneAdult, unaccompaniedChild } from './travellers';
import { Prng } from './prng';
import { CHANNELS, type Channel, type RoundEvent } from './scenario-events';
import { scheduleRounds } from './schedule';

export interface ScenarioOptions {
  /** Prefix of every person and household id: unique per run (letters, digits, "-"; at most 40). */
  runId: string;
  /** At least this many people (the last household may add a few). Default 400. */
  people?: number;
  seed?: number;
  /** When the first group arrives. Default 2026-11-20T06:00:00Z. Keep it in the past. */
  start?: Date;
  /** Hours over which groups arrive. Default 72. */
  arrivalHours?: number;
  /** Length of a round (a batch of events sent and accepted before the next). Default 120. */
  roundMinutes?: number;
}

export interface Scenario {
  runId: string;
  seed: number;
  start: Date;
  people: ScenarioPerson[];
  /** The stream in acceptance order: every event of round n is accepted before round n+1 is sent. */
  rounds: RoundEvent[][];
}

const GROUP_KINDS = {
  family: 28,
  adult: 38,
  pregnant: 5,
  elderly: 5,
  asylum: 5,
  unaccompanied: 9,
  separated: 5,
} as const;

/**
 * A realistic multi-day stream from the Darién stations, the same for the same options: families,
 * children alone, single parents, older people, pregnant women, asylum seekers, consent given,
 * partial, declined or changed, incidents, transfers to Los Planes and departures.
 */
export function generateScenario(options: ScenarioOptions): Scenario {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/.test(options.runId))
    throw new Error('runId must be 1-40 letters, digits or "-", starting with a letter or digit');
  const seed = options.seed ?? 9;
  const start = options.start ?? new Date('2026-11-20T06:00:00Z');
  const rng = new Prng(seed);
  let persons = 0;
  let households = 0;
  const ctx: GroupContext = {
    rng,
    start,
    nextPersonId: () => `${options.runId}-${String(++persons).padStart(5, '0')}`,
    nextHouseholdId: () => `${options.runId}-H${String(++households).padStart(4, '0')}`,
  };
  const wanted = options.people ?? 400;
  const arrivalHours = options.arrivalHours ?? 72;
  const groups: { plan: GroupPlan; channel: Channel }[] = [];
  const people: ScenarioPerson[] = [];
  while (people.length < wanted) {
    const key = `G${groups.length + 1}`;
    const arrivesAt = rng.int(0, arrivalHours * 4) / 4;
    const kind = rng.weighted(GROUP_KINDS);
    const plan =
      kind === 'family' || kind === 'separated'
        ? family(ctx, key, arrivesAt, kind === 'separated')
        : kind === 'unaccompanied'
          ? unaccompaniedChild(ctx, key, arrivesAt)
          : loneAdult(ctx, key, arrivesAt, kind);
    groups.push({ plan, channel: CHANNELS[groups.length % CHANNELS.length]! });
    people.push(...plan.people);
  }
  const rounds = scheduleRounds(rng, groups, {
    start,
    roundMinutes: options.roundMinutes ?? 120,
    omitDataTime: 0.15,
    omitTime: 0.05,
  });
  return { runId: options.runId, seed, start, people, rounds };
}
