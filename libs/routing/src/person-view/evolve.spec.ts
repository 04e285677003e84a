import {
  ASYLUM_INTENT_EXPRESSED,
  CONSENT_RECORDED,
  formatSequence,
  HEALTH_INCIDENT_REPORTED,
  PERSON_DEPARTED,
  PERSON_REGISTERED,
  PERSON_TRANSFERRED,
  SENSITIVE_INDICATORS,
  VULNERABILITY_SCREENED,
  type CloudEvent,
  type HealthIncidentSeverity,
  type PersonRegisteredV1,
  type Sector,
  type VulnerabilityIndicators,
} from '@ruta/contracts';
import { DEFAULT_RULE_SETS } from '../rules/default-v1.rules';
import { hasConsent } from '../rules/evaluate';
import { readsOf, type SectorReads } from '../rules/rule';
import { evolvePersonView, type Evolution } from './evolve';
import { emptyView, type PersonView } from './person-view';
import { placeOf } from './sequence';

const PERSON = 'P-000123';
const AT = '2026-11-20T14:05:00Z';

/** An intake event as the gateway publishes it: at `seq` in the person's sequence. */
const at = (seq: number, type: string, data: object): CloudEvent =>
  ({
    specversion: '1.0',
    id: `evt-${seq}-${type}`,
    source: 'senafront/lajas-blancas',
    type,
    subject: PERSON,
    time: AT,
    sequence: formatSequence(seq),
    data: { personId: PERSON, ...data },
  }) as CloudEvent;

const registered = (seq: number, facts: Partial<PersonRegisteredV1> = {}) =>
  at(seq, PERSON_REGISTERED, {
    stationId: 'lajas-blancas',
    registeredAt: AT,
    ageYears: 30,
    sex: 'female',
    nationality: 'VEN',
    languages: ['es'],
    category: 'migrant',
    ...facts,
  });
const screened = (seq: number, indicators: VulnerabilityIndicators) =>
  at(seq, VULNERABILITY_SCREENED, { screenedAt: AT, indicators });
const consent = (seq: number, informationSharing: 'granted' | 'declined', sectors: Sector[], more = {}) =>
  at(seq, CONSENT_RECORDED, { informationSharing, sectors, recordedAt: AT, ...more });
const incident = (seq: number, severity: HealthIncidentSeverity) =>
  at(seq, HEALTH_INCIDENT_REPORTED, { reportedAt: AT, severity, category: 'trauma' });
const asylumIntent = (seq: number) => at(seq, ASYLUM_INTENT_EXPRESSED, { expressedAt: AT, fearOfReturn: true });
const transferred = (seq: number, fromStationId: string, toStationId: string) =>
  at(seq, PERSON_TRANSFERRED, { fromStationId, toStationId, transferredAt: AT });
const departed = (seq: number) => at(seq, PERSON_DEPARTED, { departedAt: AT });

const READS: Record<Sector, SectorReads> = {
  health: readsOf(DEFAULT_RULE_SETS.health),
  'social-development': readsOf(DEFAULT_RULE_SETS['social-development']),
  protection: readsOf(DEFAULT_RULE_SETS.protection),
};

/** Folds events in the order given (arrival order), each at its place in the sequence. */
const foldAll = (events: CloudEvent[], reads = READS.health, from = emptyView(PERSON)): PersonView =>
  events.reduce((view, e) => evolvePersonView(view, e, placeOf(e, view.lastSeq), reads).view, from);
/** What folding `event` into the view of `before` changes. */
const evolution = (before: CloudEvent[], event: CloudEvent, reads = READS.health): Evolution => {
  const view = foldAll(before, reads);
  return evolvePersonView(view, event, placeOf(event, view.lastSeq), reads);
};

const EVERY_INDICATOR: Required<VulnerabilityIndicators> = {
  pregnant: true,
  lactating: true,
  unaccompaniedChild: true,
  separatedChild: true,
  disability: true,
  chronicIllness: true,
  injury: true,
  malnutrition: true,
  mentalHealthDistress: true,
  elderly: true,
  singleParent: true,
  needsShelter: true,
  needsFood: true,
  gbvRisk: true,
  traffickingIndicators: true,
  lgbtiqAtRisk: true,
};

describe('evolvePersonView: what a sector keeps (data minimisation)', () => {
  const journey = [
    registered(1, { category: 'asylum-seeker', ageYears: undefined, birthDate: '1990-06-01', householdId: 'H-1' }),
    screened(2, EVERY_INDICATOR),
    asylumIntent(3),
    incident(4, 'critical'),
  ];
  const basics = { seq: 1, value: { age: 36, sex: 'female', nationality: 'VEN', languages: ['es'] } };
  const common = { personId: PERSON, lastSeq: 4, basics, station: { seq: 1, value: 'lajas-blancas' }, outcomes: {} };

  it.each([
    {
      sector: 'health',
      kept: {
        indicators: {
          seq: 2,
          value: { injury: true, pregnant: true, malnutrition: true, chronicIllness: true, mentalHealthDistress: true },
        },
        incidents: { critical: true, urgent: false },
      },
    },
    {
      sector: 'social-development',
      kept: {
        indicators: {
          seq: 2,
          value: { needsShelter: true, needsFood: true, singleParent: true, elderly: true, disability: true },
        },
      },
    },
    {
      sector: 'protection',
      kept: {
        indicators: {
          seq: 2,
          value: {
            unaccompaniedChild: true,
            separatedChild: true,
            gbvRisk: true,
            traffickingIndicators: true,
            lgbtiqAtRisk: true,
          },
        },
        category: { seq: 1, value: 'asylum-seeker' },
        asylumIntent: true,
      },
    },
  ] as const)(
    '$sector keeps the basics (age, not birth date or household) and only what its rules read',
    ({ sector, kept }) => {
      expect(foldAll(journey, READS[sector])).toEqual({ ...common, ...kept });
    },
  );

  it.each(['health', 'social-development'] as const)(
    '%s never reads the sensitive indicators, category or asylum intent',
    (sector) => {
      const reads = READS[sector];
      expect(reads.indicators.filter((i) => SENSITIVE_INDICATORS.includes(i))).toEqual([]);
      expect(reads).toMatchObject({ category: false, asylumIntent: false });
    },
  );

  it('keeps whether a guardian recorded the consent, not who', () => {
    const view = foldAll([consent(1, 'granted', ['health'], { guardianPersonId: 'P-000124' })]);
    expect(view.consent).toEqual({
      seq: 1,
      value: { informationSharing: 'granted', sectors: ['health'], byGuardian: true },
    });
  });
});

describe('evolvePersonView: the later fact wins, whatever arrives first', () => {
  it('replaces the indicators of an earlier screening with those of a later one', () => {
    const view = foldAll([screened(2, { pregnant: true, injury: true }), screened(5, { malnutrition: true })]);
    expect(view.indicators).toEqual({ seq: 5, value: { malnutrition: true } });
  });

  it('leaves a later screening alone when an earlier one arrives late', () => {
    const view = foldAll([screened(5, { malnutrition: true }), screened(2, { pregnant: true, injury: true })]);
    expect(view.indicators).toEqual({ seq: 5, value: { malnutrition: true } });
  });

  it('keeps a later declined consent when an earlier granted one arrives late (a redriven event)', () => {
    const view = foldAll([registered(1), consent(9, 'declined', ['health']), consent(5, 'granted', ['health'])]);
    expect(view.consent?.value.informationSharing).toBe('declined');
    expect(hasConsent(view, 'health', 30)).toBe(false);
    expect(view.lastSeq).toBe(9);
  });

  it('does not move the station back when an old registration arrives after a transfer', () => {
    const late = evolution([transferred(4, 'lajas-blancas', 'los-planes')], registered(1));
    expect(late.view.station).toEqual({ seq: 4, value: 'los-planes' });
    expect(late.view.basics?.value.age).toBe(30);
    expect(late.stationChanged).toBe(false);
  });

  it('keeps the later registration’s basics and category when an earlier one arrives late', () => {
    const view = foldAll([registered(3, { ageYears: 31, category: 'asylum-seeker' }), registered(1)], READS.protection);
    expect(view.basics?.value.age).toBe(31);
    expect(view.category).toEqual({ seq: 3, value: 'asylum-seeker' });
  });

  it('counts an event without a sequence (an older gateway) as the newest so far', () => {
    const unsequenced = { ...consent(0, 'granted', ['health']) } as CloudEvent & { sequence?: string };
    delete unsequenced.sequence;
    const view = foldAll([consent(9, 'declined', ['health']), unsequenced]);
    expect(view.consent).toMatchObject({ seq: 10, value: { informationSharing: 'granted' } });
    expect(view.lastSeq).toBe(10);
  });
});

describe('evolvePersonView: stationChanged', () => {
  it.each([
    { when: 'on the first registration', before: [], event: registered(1), changed: true, station: 'lajas-blancas' },
    {
      when: 'on a transfer to a new station',
      before: [registered(1)],
      event: transferred(2, 'lajas-blancas', 'los-planes'),
      changed: true,
      station: 'los-planes',
    },
    {
      when: 'on a later registration at another station',
      before: [registered(1)],
      event: registered(2, { stationId: 'los-planes' }),
      changed: true,
      station: 'los-planes',
    },
    {
      when: 'on a transfer to the station already held',
      before: [transferred(3, 'lajas-blancas', 'los-planes')],
      event: transferred(4, 'lajas-blancas', 'los-planes'),
      changed: false,
      station: 'los-planes',
    },
    {
      when: 'on a late transfer (lower sequence)',
      before: [registered(1), transferred(5, 'lajas-blancas', 'los-planes')],
      event: transferred(3, 'lajas-blancas', 'san-vicente'),
      changed: false,
      station: 'los-planes',
    },
    {
      when: 'on a screening',
      before: [registered(1)],
      event: screened(2, {}),
      changed: false,
      station: 'lajas-blancas',
    },
    { when: 'on a departure', before: [registered(1)], event: departed(2), changed: false, station: 'lajas-blancas' },
  ])('is $changed $when', ({ before, event, changed, station }) => {
    const { view, stationChanged } = evolution(before, event);
    expect(stationChanged).toBe(changed);
    expect(view.station?.value).toBe(station);
  });
});

describe('evolvePersonView: departedNow', () => {
  it.each([
    { when: 'on the first departure', before: [registered(1)], event: departed(5), now: true },
    { when: 'on a first departure that arrives before anything else', before: [], event: departed(5), now: true },
    { when: 'on a second departure', before: [departed(5)], event: departed(6), now: false },
    { when: 'on the same departure redelivered', before: [departed(5)], event: departed(5), now: false },
    { when: 'on a late departure with a lower sequence', before: [departed(5)], event: departed(3), now: false },
    { when: 'on any other event', before: [registered(1)], event: screened(2, {}), now: false },
  ])('is $now $when', ({ before, event, now }) => {
    expect(evolution(before, event).departedNow).toBe(now);
  });

  it('keeps a departure through every later event', () => {
    expect(foldAll([departed(2), registered(3), transferred(4, 'lajas-blancas', 'los-planes')]).departed).toBe(true);
  });
});

describe('evolvePersonView: what accumulates', () => {
  it.each([
    { incidents: ['critical', 'routine'], seen: { critical: true, urgent: false } },
    { incidents: ['routine', 'urgent', 'routine'], seen: { critical: false, urgent: true } },
    { incidents: ['urgent', 'critical'], seen: { critical: true, urgent: true } },
    { incidents: ['routine'], seen: { critical: false, urgent: false } },
  ] as const)('health incidents $incidents: $seen', ({ incidents, seen }) => {
    const events = incidents.map((severity, i) => incident(i + 2, severity));
    expect(foldAll([registered(1), ...events, screened(9, {})]).incidents).toEqual(seen);
  });

  it('keeps asylum intent through later events, in protection only', () => {
    const events = [asylumIntent(2), registered(1), screened(3, {}), consent(4, 'declined', ['protection'])];
    expect(foldAll(events, READS.protection).asylumIntent).toBe(true);
    expect(foldAll(events, READS.health).asylumIntent).toBeUndefined();
    expect(foldAll(events, READS['social-development']).asylumIntent).toBeUndefined();
  });
});

describe('evolvePersonView: a person’s view never depends on arrival order', () => {
  const permutations = <T>(items: T[]): T[][] =>
    items.length <= 1
      ? [items]
      : items.flatMap((item, i) =>
          permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [item, ...p]),
        );

  /** A small deterministic generator (mulberry32), so a failing order can be replayed. */
  const seeded = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const shuffled = <T>(items: T[], random: () => number) => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };

  const sectors = Object.keys(READS) as Sector[];

  it.each(sectors)('%s: the same view after every one of the 720 orders of six events', (sector) => {
    const events = [
      registered(1, { ageYears: 16, category: 'asylum-seeker' }),
      screened(2, { pregnant: true, needsFood: true, gbvRisk: true }),
      consent(3, 'granted', ['health', 'protection'], { guardianPersonId: 'P-000124' }),
      incident(4, 'urgent'),
      transferred(5, 'lajas-blancas', 'los-planes'),
      screened(6, { injury: true, singleParent: true, traffickingIndicators: true }),
    ];
    const expected = foldAll(events, READS[sector]);
    for (const order of permutations(events)) expect(foldAll(order, READS[sector])).toEqual(expected);
  });

  it.each(sectors)('%s: the same view, and one departure, after 500 seeded shuffles of a whole journey', (sector) => {
    const journey = [
      registered(1, { ageYears: 41 }),
      consent(2, 'granted', ['health', 'social-development', 'protection']),
      screened(3, { needsShelter: true, injury: true }),
      incident(4, 'critical'),
      asylumIntent(5),
      transferred(6, 'lajas-blancas', 'los-planes'),
      registered(7, { ageYears: 42, category: 'asylum-seeker', stationId: 'los-planes' }),
      screened(8, { elderly: true, lgbtiqAtRisk: true }),
      consent(9, 'declined', ['health']),
      incident(10, 'urgent'),
      transferred(11, 'los-planes', 'san-vicente'),
      departed(12),
      departed(13),
    ];
    const reads = READS[sector];
    const expected = foldAll(journey, reads);
    expect(expected).toMatchObject({ lastSeq: 13, station: { seq: 11, value: 'san-vicente' }, departed: true });
    const random = seeded(20261120);
    for (let round = 0; round < 500; round++) {
      const order = shuffled(journey, random);
      let view = emptyView(PERSON);
      let departures = 0;
      for (const event of order) {
        const step = evolvePersonView(view, event, placeOf(event, view.lastSeq), reads);
        if (step.departedNow) departures++;
        view = step.view;
      }
      expect(view).toEqual(expected);
      expect(departures).toBe(1);
    }
  });
});
