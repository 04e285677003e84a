import type { Scenario } from './generate-scenario';
import {
  CHANNELS,
  SCENARIO_EVENT_TYPES,
  type Channel,
  type ScenarioEvent,
  type ScenarioEventType,
} from './scenario-events';

/** Every event of the scenario in acceptance order (round by round). */
export function scenarioEvents(scenario: Scenario): ScenarioEvent[] {
  return scenario.rounds.flatMap((round) => round.map((r) => r.event));
}

export interface ScenarioFigures {
  people: number;
  rounds: number;
  events: number;
  byType: Record<ScenarioEventType, Record<Channel | 'all', number>>;
  byProfile: Record<string, number>;
}

/** How many people, and events per type and channel: the figures a closing note or a bench prints. */
export function scenarioFigures(scenario: Scenario): ScenarioFigures {
  const byType = Object.fromEntries(
    SCENARIO_EVENT_TYPES.map((t) => [t, Object.fromEntries([...CHANNELS, 'all'].map((c) => [c, 0]))]),
  ) as ScenarioFigures['byType'];
  let events = 0;
  for (const round of scenario.rounds) {
    for (const { event, channel } of round) {
      byType[event.type][channel] += 1;
      byType[event.type].all += 1;
      events += 1;
    }
  }
  const byProfile: Record<string, number> = {};
  for (const p of scenario.people) byProfile[p.profile] = (byProfile[p.profile] ?? 0) + 1;
  return { people: scenario.people.length, rounds: scenario.rounds.length, events, byType, byProfile };
}

/** The figures as a fixed-width table (type x channel). */
export function formatScenarioFigures(figures: ScenarioFigures): string {
  const header = ['event type', ...CHANNELS, 'all'];
  const rows = SCENARIO_EVENT_TYPES.map((t) => [
    t,
    ...[...CHANNELS, 'all' as const].map((c) => String(figures.byType[t][c])),
  ]);
  const total = [
    'total',
    ...[...CHANNELS, 'all' as const].map((c) =>
      String(SCENARIO_EVENT_TYPES.reduce((n, t) => n + figures.byType[t][c], 0)),
    ),
  ];
  const all = [header, ...rows, total];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const profiles = Object.entries(figures.byProfile)
    .map(([p, n]) => `${p} ${n}`)
    .join(', ');
  return [
    `${figures.people} people (${profiles}); ${figures.events} events in ${figures.rounds} rounds`,
    ...all.map(line),
  ].join('\n');
}
