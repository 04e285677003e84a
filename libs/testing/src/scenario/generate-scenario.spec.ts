import { PERSON_ID_PATTERN } from '@ruta/contracts';
import { generateScenario } from './generate-scenario';
import { scenarioEvents, scenarioFigures } from './scenario-figures';
import { SCENARIO_EVENT_TYPES } from './scenario-events';

describe('generateScenario', () => {
  const scenario = generateScenario({ runId: 'S-SPEC' });

  it('gives the same stream for the same options, and another for another seed', () => {
    expect(JSON.stringify(generateScenario({ runId: 'S-SPEC' }))).toBe(JSON.stringify(scenario));
    expect(JSON.stringify(generateScenario({ runId: 'S-SPEC', seed: 10 }).rounds)).not.toBe(
      JSON.stringify(scenario.rounds),
    );
  });

  it('holds several hundred people, unique ids of the run, and every event type on every channel', () => {
    const figures = scenarioFigures(scenario);
    expect(figures.people).toBeGreaterThanOrEqual(400);
    const ids = scenario.people.map((p) => p.personId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(PERSON_ID_PATTERN);
    for (const id of ids) expect(id.startsWith('S-SPEC-')).toBe(true);
    for (const type of SCENARIO_EVENT_TYPES) {
      expect({
        type,
        batch: figures.byType[type].batch > 0,
        single: figures.byType[type].single > 0,
        kafka: figures.byType[type].kafka > 0,
      }).toEqual({ type, batch: true, single: true, kafka: true });
    }
    const events = scenarioEvents(scenario);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('gives no person and no household two events in one round', () => {
    for (const round of scenario.rounds) {
      const subjects = round.map((r) => r.event.subject);
      const groups = round.map((r) => r.group);
      expect(new Set(subjects).size).toBe(subjects.length);
      expect(new Set(groups).size).toBe(groups.length);
    }
  });

  it('registers each person before any other event of theirs, and keeps one channel per person', () => {
    const registered = new Set<string>();
    const channel = new Map<string, string>();
    for (const { event, channel: c } of scenario.rounds.flat()) {
      if (event.type === 'person.registered') registered.add(event.subject);
      else
        expect({ id: event.id, registered: registered.has(event.subject) }).toEqual({ id: event.id, registered: true });
      expect(channel.get(event.subject) ?? c).toBe(c);
      channel.set(event.subject, c);
    }
  });

  it('has what the routing must get right: late members, relinks, departures followed by events, missing times', () => {
    const events = scenarioEvents(scenario);
    const registeredAt = new Map(events.map((e, i) => [e.type === 'person.registered' ? e.subject : '', i]));
    const links = events.flatMap((e, i) => (e.type === 'household.linked' ? [{ e, i }] : []));
    const lateMembers = links.flatMap(({ e, i }) => e.data.members.filter((m) => registeredAt.get(m.personId)! > i));
    expect(lateMembers.length).toBeGreaterThan(10);
    expect(links.some(({ e }) => e.data.members.some((m) => m.relationship === 'other'))).toBe(true);
    const departedAt = new Map(events.map((e, i) => [e.type === 'person.departed' ? e.subject : '', i]));
    expect(events.filter((e, i) => departedAt.has(e.subject) && i > departedAt.get(e.subject)!).length).toBeGreaterThan(
      5,
    );
    expect(events.filter((e) => e.time === undefined).length).toBeGreaterThan(20);
    expect(events.filter((e) => e.type === 'household.linked' && e.data.linkedAt === undefined).length).toBeGreaterThan(
      3,
    );
    expect(events.some((e) => e.type === 'consent.recorded' && e.data.guardianPersonId)).toBe(true);
  });
});
