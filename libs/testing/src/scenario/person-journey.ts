import type { PlannedConsent } from './consent-plans';
import { rescreenedIndicators, screeningIndicators, type ScreenedPerson } from './indicators';
import type { PersonBasics } from './people';
import { planned, type PlannedEvent } from './planned-event';
import type { Prng } from './prng';

/** Where a group goes: its arrival station, the transfers after it, and when (if at all) it departs. */
export interface Route {
  arrival: string;
  moves: { at: number; to: string }[];
  departsAt?: number;
}

/** Everything one person's own events follow from. */
export interface Journey {
  basics: PersonBasics;
  /** Hours after the scenario start. */
  registersAt: number;
  route: Route;
  householdId?: string;
  consents: PlannedConsent[];
  screened: ScreenedPerson;
  /** Hours after registration when the person says they intend to seek asylum. */
  asylumIntentAfter?: number;
}

/** Open labels agencies use for incidents (PRODUCT.md suggests most; "dehydration" is one more seen in the field). */
const INCIDENT_CATEGORIES = [
  'injury',
  'trauma',
  'illness',
  'respiratory',
  'infection',
  'maternal',
  'mental-health',
  'malnutrition',
  'dehydration',
  'other',
];

export function stationAt(route: Route, at: number): string {
  let station = route.arrival;
  for (const move of route.moves) if (move.at <= at) station = move.to;
  return station;
}

/** A person's own events, in the order they want them: registration first, the rest after it. */
export function personEvents(rng: Prng, journey: Journey): PlannedEvent[] {
  const { basics, registersAt: r, route } = journey;
  const id = basics.personId;
  const at = (hours: number) => ({ at: hours, station: stationAt(route, hours) });
  const events: PlannedEvent[] = [];
  const add = (hours: number, make: (station: string) => PlannedEvent) => events.push(make(at(hours).station));

  add(r, (station) =>
    planned(r, 'person.registered', id, station, {
      personId: id,
      stationId: station,
      ...(basics.birthDate ? { birthDate: basics.birthDate } : { ageYears: basics.ageYears }),
      sex: basics.sex,
      nationality: basics.nationality,
      languages: basics.languages,
      category: basics.category,
      ...(journey.householdId && rng.chance(0.7) ? { householdId: journey.householdId } : {}),
    }),
  );
  for (const c of journey.consents) {
    const { after, ...consent } = c;
    add(r + after, (station) => planned(r + after, 'consent.recorded', id, station, { personId: id, ...consent }));
  }
  if (rng.chance(0.9)) {
    const first = screeningIndicators(rng, journey.screened);
    const t = r + rng.int(1, 8) / 2;
    add(t, (station) => planned(t, 'vulnerability.screened', id, station, { personId: id, indicators: first }));
    if (rng.chance(0.2)) {
      const again = rescreenedIndicators(rng, first, journey.screened);
      const t2 = r + rng.int(18, 40);
      add(t2, (station) => planned(t2, 'vulnerability.screened', id, station, { personId: id, indicators: again }));
    }
  }
  const incidents = rng.weighted({ 0: 76, 1: 19, 2: 5 });
  for (let i = 0; i < Number(incidents); i++) {
    const t = r + rng.int(1, 48);
    const severity = rng.weighted({ critical: 15, urgent: 40, routine: 45 } as const);
    const category = rng.pick(INCIDENT_CATEGORIES);
    add(t, (station) => planned(t, 'health.incident-reported', id, station, { personId: id, severity, category }));
  }
  if (journey.asylumIntentAfter !== undefined) {
    const t = r + journey.asylumIntentAfter;
    const fearOfReturn = rng.chance(0.8);
    add(t, (station) => planned(t, 'asylum.intent-expressed', id, station, { personId: id, fearOfReturn }));
  }
  for (const move of route.moves) {
    if (move.at <= r) continue;
    const from = stationAt(route, move.at - 0.001);
    events.push(
      planned(move.at, 'person.transferred', id, from, { personId: id, fromStationId: from, toStationId: move.to }),
    );
  }
  if (route.departsAt !== undefined && route.departsAt > r) {
    const d = route.departsAt;
    add(d, (station) => planned(d, 'person.departed', id, station, { personId: id }));
    if (rng.chance(0.2)) events.push(afterDeparture(rng, journey, d + rng.int(2, 10), stationAt(route, d)));
  }
  return events.sort((a, b) => a.at - b.at);
}

/** An event a border service records after the person left: late paperwork, or a sighting on the way out. */
function afterDeparture(rng: Prng, journey: Journey, t: number, station: string): PlannedEvent {
  const id = journey.basics.personId;
  switch (rng.pick(['incident', 'screening', 'consent'] as const)) {
    case 'incident':
      return planned(t, 'health.incident-reported', id, station, {
        personId: id,
        severity: rng.pick(['critical', 'urgent'] as const),
        category: 'trauma',
      });
    case 'screening':
      return planned(t, 'vulnerability.screened', id, station, {
        personId: id,
        indicators: { needsShelter: true, injury: true, gbvRisk: true },
      });
    default:
      return planned(t, 'consent.recorded', id, station, {
        personId: id,
        informationSharing: 'granted',
        sectors: ['health', 'social-development', 'protection'],
      });
  }
}
