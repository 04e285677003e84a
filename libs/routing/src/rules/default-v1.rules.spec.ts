import {
  ASYLUM_INTENT_EXPRESSED,
  CONSENT_RECORDED,
  HEALTH_INCIDENT_REPORTED,
  PERSON_DEPARTED,
  PERSON_REGISTERED,
  SECTORS,
  VULNERABILITY_SCREENED,
  type CloudEvent,
  type HealthIncidentSeverity,
  type Indicator,
  type LegalBasis,
  type PersonRegisteredV1,
  type Priority,
  type Sector,
  type VulnerabilityIndicators,
} from '@ruta/contracts';
import { evolvePersonView } from '../person-view/evolve';
import { ageOf, emptyView } from '../person-view/person-view';
import { HEALTH_RULES_V1, PROTECTION_RULES_V1, SOCIAL_DEVELOPMENT_RULES_V1 } from './default-v1.rules';
import { evaluateRules } from './evaluate';
import { readsOf, type HouseholdStanding, type RuleContext, type RuleSet } from './rule';

// Policy v1 as PRODUCT.md's table reads, rule by rule, on contexts folded from real intake events.

const PERSON = 'P-000123';
const AT = '2026-11-20T14:05:00Z';
let eventCount = 0;
const intake = (type: string, data: object): CloudEvent => ({
  specversion: '1.0',
  id: `evt-${++eventCount}`,
  source: 'senafront/lajas-blancas',
  type,
  subject: PERSON,
  time: AT,
  data: { personId: PERSON, ...data },
});

const registered = (facts: Partial<PersonRegisteredV1> = {}) =>
  intake(PERSON_REGISTERED, {
    stationId: 'lajas-blancas',
    registeredAt: AT,
    ageYears: 30,
    sex: 'female',
    nationality: 'VEN',
    languages: ['es'],
    category: 'migrant',
    ...facts,
  });
const aged = (ageYears: number) => registered({ ageYears });
/** Registered with a birth date only: the age is taken at registeredAt (2026-11-20). */
const bornOn = (birthDate: string) => registered({ ageYears: undefined, birthDate });
const adult = aged(30);
const screened = (indicators: VulnerabilityIndicators) =>
  intake(VULNERABILITY_SCREENED, { screenedAt: AT, indicators });
const consent = (sectors: readonly Sector[], more: { informationSharing?: string; guardianPersonId?: string } = {}) =>
  intake(CONSENT_RECORDED, { informationSharing: 'granted', sectors, recordedAt: AT, ...more });
const GUARDIAN = { guardianPersonId: 'P-000124' };
const DECLINED = { informationSharing: 'declined' };
const byGuardian = (sector: Sector) => consent([sector], GUARDIAN);
const otherSectors = (sector: Sector) => SECTORS.filter((s) => s !== sector);
const incident = (severity: HealthIncidentSeverity) =>
  intake(HEALTH_INCIDENT_REPORTED, { reportedAt: AT, severity, category: 'injury' });
const asylumIntent = intake(ASYLUM_INTENT_EXPRESSED, { expressedAt: AT, fearOfReturn: true });
const departed = intake(PERSON_DEPARTED, { departedAt: AT });
const shelterNeed = screened({ needsShelter: true });
const gbvRisk = screened({ gbvRisk: true });

const NO_HOUSEHOLD: HouseholdStanding = { head: false, memberUnder18: false };
const HEAD_WITH_CHILD: HouseholdStanding = { head: true, memberUnder18: true };

/** The sector's rule context once its view has folded the events, at sequence 1, 2, ... in the order given. */
function contextAfter(ruleSet: RuleSet, events: CloudEvent[], household = NO_HOUSEHOLD): RuleContext {
  const reads = readsOf(ruleSet);
  const view = events.reduce((v, e, i) => evolvePersonView(v, e, i + 1, reads).view, emptyView(PERSON));
  return { view, age: ageOf(view), household };
}
const decisionsAfter = (ruleSet: RuleSet, events: CloudEvent[], household?: HouseholdStanding) =>
  evaluateRules(contextAfter(ruleSet, events, household), ruleSet);
const decisionOf = (ruleSet: RuleSet, type: string, events: CloudEvent[], household?: HouseholdStanding) =>
  decisionsAfter(ruleSet, events, household).find((d) => d.referralType === type);

/** Consent as this person can validly give it (a guardian's for a child), naming `sectors`. */
function validConsent(ruleSet: RuleSet, events: CloudEvent[], sectors: readonly Sector[], more = {}) {
  const age = contextAfter(ruleSet, events).age;
  const guardian = age !== undefined && age < 18 ? GUARDIAN : {};
  return consent(sectors, { ...guardian, ...more });
}

/** A journey on which the rule fires, the inputs its referral names and, where it varies, its legal basis. */
interface Firing {
  when: string;
  events: CloudEvent[];
  inputs: Record<string, unknown>;
  household?: HouseholdStanding;
  legalBasis?: LegalBasis;
}
/** A journey on which it does not fire, even with consent. */
interface Quiet {
  when: string;
  events: CloudEvent[];
  household?: HouseholdStanding;
}
interface RuleCase {
  type: string;
  priority: Priority;
  legalBasis: LegalBasis;
  fires: Firing[];
  quiet: Quiet[];
}

const on = (when: string, events: CloudEvent[], inputs: Record<string, unknown>, more: Partial<Firing> = {}) => ({
  when,
  events,
  inputs,
  ...more,
});
const not = (when: string, events: CloudEvent[], household?: HouseholdStanding): Quiet => ({ when, events, household });
/** A rule read from one indicator: it fires on it, not on `other`, nor on the indicator recorded false. */
const onIndicator = (type: string, priority: Priority, indicator: Indicator, other: Indicator): RuleCase => ({
  type,
  priority,
  legalBasis: 'consent',
  fires: [on(`on ${indicator}`, [adult, screened({ [indicator]: true })], { [indicator]: true })],
  quiet: [
    not(`on ${other} alone`, [adult, screened({ [other]: true })]),
    not(`on ${indicator} recorded false`, [adult, screened({ [indicator]: false })]),
  ],
});

const HEALTH_CASES: RuleCase[] = [
  {
    type: 'emergency-care',
    priority: 'emergency',
    legalBasis: 'vital-interest',
    fires: [
      on('on a critical incident', [adult, incident('critical')], { criticalIncident: true }),
      on('on a critical incident, later ones routine', [adult, incident('critical'), incident('routine')], {
        criticalIncident: true,
      }),
    ],
    quiet: [
      not('on urgent and routine incidents', [adult, incident('urgent'), incident('routine')]),
      not('on an injury screening', [adult, screened({ injury: true })]),
    ],
  },
  {
    type: 'medical-care',
    priority: 'urgent',
    legalBasis: 'consent',
    fires: [
      on('on injury', [adult, screened({ injury: true })], { injury: true, urgentIncident: false }),
      on('on an urgent incident', [adult, incident('urgent')], { injury: false, urgentIncident: true }),
      on('on an urgent incident, injury later cleared', [adult, incident('urgent'), screened({ injury: false })], {
        injury: false,
        urgentIncident: true,
      }),
    ],
    quiet: [
      not('on a routine incident', [adult, incident('routine')]),
      not('on a critical incident (emergency-care instead)', [adult, incident('critical')]),
      not('once a later screening clears the injury', [adult, screened({ injury: true }), screened({ injury: false })]),
    ],
  },
  onIndicator('maternal-health', 'urgent', 'pregnant', 'lactating'),
  onIndicator('nutrition', 'urgent', 'malnutrition', 'needsFood'),
  {
    type: 'child-health',
    priority: 'routine',
    legalBasis: 'consent',
    fires: [
      on('at 4', [aged(4)], { age: 4 }),
      on('at 0', [aged(0)], { age: 0 }),
      on('at 4 by birth date, the day before turning 5', [bornOn('2021-11-21')], { age: 4 }),
    ],
    quiet: [
      not('at 5', [aged(5)]),
      not('at 5 by birth date, on the birthday', [bornOn('2021-11-20')]),
      not('when ageYears says 30 over a birth date', [registered({ ageYears: 30, birthDate: '2024-01-01' })]),
      not('when no age is known', [registered({ ageYears: undefined })]),
    ],
  },
  onIndicator('chronic-care', 'routine', 'chronicIllness', 'disability'),
  onIndicator('mental-health', 'routine', 'mentalHealthDistress', 'gbvRisk'),
];

const FAMILY_INPUTS = { singleParent: false, headOfHousehold: true, memberUnder18: true, needsShelter: false };
const SOCIAL_DEVELOPMENT_CASES: RuleCase[] = [
  onIndicator('shelter', 'urgent', 'needsShelter', 'needsFood'),
  onIndicator('food-assistance', 'urgent', 'needsFood', 'needsShelter'),
  {
    type: 'family-assistance',
    priority: 'routine',
    legalBasis: 'consent',
    fires: [
      on('on singleParent alone', [adult, screened({ singleParent: true })], {
        ...FAMILY_INPUTS,
        singleParent: true,
        headOfHousehold: false,
        memberUnder18: false,
        needsFood: false,
      }),
      on(
        'for a head with a member under 18 who needs shelter',
        [adult, screened({ needsShelter: true })],
        { ...FAMILY_INPUTS, needsShelter: true, needsFood: false },
        { household: HEAD_WITH_CHILD },
      ),
      on(
        'for a head with a member under 18 who needs food',
        [adult, screened({ needsFood: true })],
        { ...FAMILY_INPUTS, needsFood: true },
        { household: HEAD_WITH_CHILD },
      ),
    ],
    quiet: [
      not('for a head without a member under 18', [adult, screened({ needsShelter: true, needsFood: true })], {
        head: true,
        memberUnder18: false,
      }),
      not('for a member who is not the head', [adult, screened({ needsShelter: true, needsFood: true })], {
        head: false,
        memberUnder18: true,
      }),
      not('for a head with a child but neither need', [adult, screened({ disability: true })], HEAD_WITH_CHILD),
      not('on needs alone, outside a household', [adult, screened({ needsShelter: true, needsFood: true })]),
    ],
  },
  {
    type: 'elderly-support',
    priority: 'routine',
    legalBasis: 'consent',
    fires: [
      on('on elderly', [adult, screened({ elderly: true })], { elderly: true, age: 30 }),
      on('at 60', [aged(60)], { elderly: false, age: 60 }),
      on('at 60 by birth date, on the birthday', [bornOn('1966-11-20')], { elderly: false, age: 60 }),
    ],
    quiet: [
      not('at 59', [aged(59)]),
      not('at 59 by birth date, the day before turning 60', [bornOn('1966-11-21')]),
      not('on elderly recorded false at 59', [aged(59), screened({ elderly: false })]),
    ],
  },
  onIndicator('disability-support', 'routine', 'disability', 'chronicIllness'),
];

const PROTECTION_CASES: RuleCase[] = [
  {
    type: 'child-protection',
    priority: 'emergency',
    legalBasis: 'best-interests-of-child',
    fires: [
      on('on unaccompaniedChild', [aged(12), screened({ unaccompaniedChild: true })], {
        unaccompaniedChild: true,
        separatedChild: false,
      }),
      on('on separatedChild', [aged(12), screened({ separatedChild: true })], {
        unaccompaniedChild: false,
        separatedChild: true,
      }),
    ],
    quiet: [not('on neither', [aged(12), screened({ unaccompaniedChild: false, needsFood: true })])],
  },
  {
    type: 'gbv-case-management',
    priority: 'urgent',
    legalBasis: 'consent',
    fires: [
      on('on gbvRisk', [adult, screened({ gbvRisk: true })], { gbvRisk: true }),
      on('on gbvRisk for a child: consent still, no exception', [aged(15), screened({ gbvRisk: true })], {
        gbvRisk: true,
      }),
    ],
    quiet: [not('on lgbtiqAtRisk alone', [adult, screened({ lgbtiqAtRisk: true })])],
  },
  {
    type: 'anti-trafficking',
    priority: 'urgent',
    legalBasis: 'consent',
    fires: [
      on('for an adult', [adult, screened({ traffickingIndicators: true })], { traffickingIndicators: true, age: 30 }),
      on('for an 18-year-old', [aged(18), screened({ traffickingIndicators: true })], {
        traffickingIndicators: true,
        age: 18,
      }),
      on('for a person of unknown age', [screened({ traffickingIndicators: true })], {
        traffickingIndicators: true,
        age: null,
      }),
      on(
        'for a child, on vital interest',
        [aged(17), screened({ traffickingIndicators: true })],
        { traffickingIndicators: true, age: 17 },
        { legalBasis: 'vital-interest' },
      ),
    ],
    quiet: [not('on gbvRisk alone', [aged(15), screened({ gbvRisk: true, traffickingIndicators: false })])],
  },
  {
    type: 'international-protection',
    priority: 'urgent',
    legalBasis: 'consent',
    fires: [
      on('on asylum intent', [adult, asylumIntent], { asylumIntent: true, category: 'migrant' }),
      on('as an asylum-seeker', [registered({ category: 'asylum-seeker' })], {
        asylumIntent: false,
        category: 'asylum-seeker',
      }),
      on('on asylum intent before registration', [asylumIntent], { asylumIntent: true, category: null }),
    ],
    quiet: [not('as a refugee', [registered({ category: 'refugee' })]), not('as a migrant', [adult])],
  },
  onIndicator('protection-assistance', 'routine', 'lgbtiqAtRisk', 'gbvRisk'),
];

describe.each([
  ['health', HEALTH_RULES_V1, HEALTH_CASES],
  ['social-development', SOCIAL_DEVELOPMENT_RULES_V1, SOCIAL_DEVELOPMENT_CASES],
  ['protection', PROTECTION_RULES_V1, PROTECTION_CASES],
] as const)('%s rules of policy v1', (sector, ruleSet, cases) => {
  const firings = cases.flatMap((c) =>
    c.fires.map((f) => ({ type: c.type, priority: c.priority, ...f, legalBasis: f.legalBasis ?? c.legalBasis })),
  );
  const quiets = cases.flatMap((c) => c.quiet.map((q) => ({ type: c.type, ...q })));
  const explained = (f: (typeof firings)[number]) => ({
    personId: PERSON,
    sector,
    referralType: f.type,
    ruleSetVersion: 'default-v1',
    priority: f.priority,
    legalBasis: f.legalBasis,
  });

  it('has cases for every rule of the set, in its order', () => {
    expect(cases.map((c) => c.type)).toEqual(ruleSet.rules.map((r) => r.type));
  });

  it.each(firings)('$type fires $when: $priority, $legalBasis, naming exactly its inputs', (f) => {
    const events = [...f.events, validConsent(ruleSet, f.events, [sector])];
    expect(decisionOf(ruleSet, f.type, events, f.household)).toEqual({
      ...explained(f),
      outcome: 'refer',
      inputs: f.inputs,
    });
  });

  it.each(quiets)('$type does not fire $when, even with consent', (q) => {
    const events = [...q.events, validConsent(ruleSet, q.events, [sector])];
    expect(decisionOf(ruleSet, q.type, events, q.household)).toBeUndefined();
  });

  it.each(cases)('$type does not fire before anything is known', (c) => {
    expect(decisionOf(ruleSet, c.type, [])).toBeUndefined();
  });

  const onConsent = firings.filter((f) => f.legalBasis === 'consent');
  describe.each([
    ['without any consent', () => []],
    [
      'when consent names only the other sectors',
      (e: CloudEvent[]) => [validConsent(ruleSet, e, otherSectors(sector))],
    ],
    ['when consent was declined', (e: CloudEvent[]) => [validConsent(ruleSet, e, [sector], DECLINED)]],
    [
      'when a granted consent was later declined',
      (e: CloudEvent[]) => [validConsent(ruleSet, e, [sector]), validConsent(ruleSet, e, [sector], DECLINED)],
    ],
  ])('deferred %s', (_when, consents: (events: CloudEvent[]) => CloudEvent[]) => {
    it.each(onConsent)('$type $when: consent-required, keeping no indicator values', (f) => {
      expect(decisionOf(ruleSet, f.type, [...f.events, ...consents(f.events)], f.household)).toEqual({
        ...explained(f),
        outcome: 'deferred',
        reason: 'consent-required',
        inputs: {},
      });
    });
  });

  const onOtherBasis = firings.filter((f) => f.legalBasis !== 'consent');
  if (onOtherBasis.length > 0) {
    it.each(onOtherBasis)('$type $when needs no consent ($legalBasis), refers even after a refusal', (f) => {
      for (const refusal of [[], [consent([sector], DECLINED)], [consent(otherSectors(sector))]]) {
        expect(decisionOf(ruleSet, f.type, [...f.events, ...refusal], f.household)).toEqual({
          ...explained(f),
          outcome: 'refer',
          inputs: f.inputs,
        });
      }
    });
  }

  it.each(cases)('$type: no decision once the person departed, whatever arrives after', (c) => {
    const [{ events, household }] = c.fires;
    const granted = validConsent(ruleSet, events, [sector]);
    expect(decisionsAfter(ruleSet, [...events, granted, departed], household)).toEqual([]);
    expect(decisionsAfter(ruleSet, [departed, ...events, granted], household)).toEqual([]);
  });
});

describe("a child's consent (under 18)", () => {
  it.each([
    { who: 'at 3', sector: 'health', ruleSet: HEALTH_RULES_V1, type: 'child-health', facts: [aged(3)] },
    {
      who: 'at 12',
      sector: 'social-development',
      ruleSet: SOCIAL_DEVELOPMENT_RULES_V1,
      type: 'shelter',
      facts: [aged(12), shelterNeed],
    },
    {
      who: 'at 17 by birth date',
      sector: 'social-development',
      ruleSet: SOCIAL_DEVELOPMENT_RULES_V1,
      type: 'shelter',
      facts: [bornOn('2008-11-21'), shelterNeed],
    },
    {
      who: 'at 17',
      sector: 'protection',
      ruleSet: PROTECTION_RULES_V1,
      type: 'gbv-case-management',
      facts: [aged(17), gbvRisk],
    },
  ] as const)('$type $who: counts only when a guardian recorded it', ({ sector, ruleSet, type, facts }) => {
    expect(decisionOf(ruleSet, type, [...facts, consent([sector])])).toMatchObject({
      outcome: 'deferred',
      reason: 'consent-required',
      legalBasis: 'consent',
    });
    expect(decisionOf(ruleSet, type, [...facts, byGuardian(sector)])).toMatchObject({ outcome: 'refer' });
  });

  it("is the person's own from 18, by ageYears or by birth date", () => {
    for (const who of [aged(18), bornOn('2008-11-20')]) {
      const events = [who, shelterNeed, consent(['social-development'])];
      expect(decisionOf(SOCIAL_DEVELOPMENT_RULES_V1, 'shelter', events)).toMatchObject({ outcome: 'refer' });
    }
  });
});
