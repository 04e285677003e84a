import { eventMix as scenarioMix, type EventMix, type ScenarioEvent } from '../../libs/testing/src/scenario';
import { idTag } from './settings';
import { fmt, table } from './output';

// Times of the generated stream are in the past (intake refuses times ahead of it).
const scenarioStart = new Date(Date.now() - 10 * 86_400_000);

/** About `events` intake events of all eight types, in the generated Darién scenario's proportions and order. */
export function eventMix(label: string, events: number): EventMix {
  return scenarioMix({ runId: `${label}-${idTag}`, events, start: scenarioStart });
}

/** Events per type as a share of the mix: the proportions the figures were measured with. */
export function mixTable(events: ScenarioEvent[]): string {
  const byType = new Map<string, number>();
  for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  const rows = [...byType].map(([type, n]) => [type, fmt(n), `${((100 * n) / events.length).toFixed(1)}%`]);
  return table(rows, ['event type', 'events', 'share']);
}
