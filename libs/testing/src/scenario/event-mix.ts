import { generateScenario, type Scenario } from './generate-scenario';
import type { ScenarioEvent } from './scenario-events';

/** Events per person in the generated stream (about 5.1 at the default proportions): sizes a mix. */
export const EVENTS_PER_PERSON = 5.1;

/** A load of about `events` intake events in the scenario's proportions, in acceptance order. */
export interface EventMix {
  scenario: Scenario;
  events: ScenarioEvent[];
  /** The household (or lone person) of each event, by index: a lane must keep a group's events in order. */
  groups: string[];
}

export function eventMix(options: { runId: string; events: number; start?: Date; seed?: number }): EventMix {
  const people = Math.max(1, Math.round(options.events / EVENTS_PER_PERSON));
  const scenario = generateScenario({ runId: options.runId, people, start: options.start, seed: options.seed });
  const flat = scenario.rounds.flat();
  return { scenario, events: flat.map((r) => r.event), groups: flat.map((r) => r.group) };
}

/** Deals whole groups round-robin to `lanes` lanes, each lane keeping its groups' events in order. */
export function dealToLanes(mix: EventMix, lanes: number): ScenarioEvent[][] {
  const laneOf = new Map<string, number>();
  const dealt: ScenarioEvent[][] = Array.from({ length: lanes }, () => []);
  mix.events.forEach((event, i) => {
    const group = mix.groups[i]!;
    if (!laneOf.has(group)) laneOf.set(group, laneOf.size % lanes);
    dealt[laneOf.get(group)!]!.push(event);
  });
  return dealt;
}

/** For each event, the id of the same person's event before it (absent for their first). */
export function previousEventIds(events: ScenarioEvent[]): Map<string, string> {
  const last = new Map<string, string>();
  const previous = new Map<string, string>();
  for (const e of events) {
    const before = last.get(e.subject);
    if (before) previous.set(e.id, before);
    last.set(e.subject, e.id);
  }
  return previous;
}
