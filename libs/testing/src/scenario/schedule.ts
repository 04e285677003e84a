import type { GroupPlan } from './groups';
import type { Prng } from './prng';
import { DATA_TIME_FIELD, type Channel, type RoundEvent, type ScenarioEvent } from './scenario-events';

/** Who records each type, for the `source` attribute (agency/station). */
const AGENCY: Record<ScenarioEvent['type'], string> = {
  'person.registered': 'migracion',
  'household.linked': 'migracion',
  'vulnerability.screened': 'acnur',
  'consent.recorded': 'acnur',
  'asylum.intent-expressed': 'acnur',
  'health.incident-reported': 'minsa',
  'person.transferred': 'senafront',
  'person.departed': 'senafront',
};

export interface ScheduleOptions {
  start: Date;
  roundMinutes: number;
  /** Share of events whose `data` time field is left out (the gateway fills it from `time`). */
  omitDataTime: number;
  /** Share of events without `time` (the gateway fills it when it accepts them). */
  omitTime: number;
}

/**
 * Gives every planned event a round: a group's events keep their planned order, one per round, so
 * within a round no person and no household has two events. Then stamps ids and times.
 */
export function scheduleRounds(
  rng: Prng,
  groups: { plan: GroupPlan; channel: Channel }[],
  options: ScheduleOptions,
): RoundEvent[][] {
  const rounds: RoundEvent[][] = [];
  const perSubject = new Map<string, number>();
  for (const { plan, channel } of groups) {
    let previous = -1;
    for (const p of plan.events) {
      const round = Math.max(Math.floor((p.at * 60) / options.roundMinutes), previous + 1);
      previous = round;
      const minute = round * options.roundMinutes + rng.int(0, options.roundMinutes - 1);
      const time = new Date(options.start.getTime() + minute * 60_000 + rng.int(0, 59) * 1000)
        .toISOString()
        .replace('.000Z', 'Z');
      const n = (perSubject.get(p.subject) ?? 0) + 1;
      perSubject.set(p.subject, n);
      const omitData = rng.chance(options.omitDataTime);
      // A registration without any time would take its age from the moment of acceptance: keep one.
      const omitTime = rng.chance(options.omitTime) && !(omitData && p.type === 'person.registered');
      const data = omitData ? { ...p.data } : { ...p.data, [DATA_TIME_FIELD[p.type]]: time };
      const event = {
        specversion: '1.0',
        id: `${p.subject}-${n}`,
        source: `${AGENCY[p.type]}/${p.station}`,
        type: p.type,
        subject: p.subject,
        ...(omitTime ? {} : { time }),
        datacontenttype: 'application/json',
        data,
      } as ScenarioEvent;
      (rounds[round] ??= []).push({ event, channel, group: plan.key });
    }
  }
  return Array.from(rounds, (r) => r ?? []).filter((r) => r.length > 0);
}
