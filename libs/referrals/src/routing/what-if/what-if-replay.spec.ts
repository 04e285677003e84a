import { SECTORS, type CloudEvent, type Sector } from '@ruta/contracts';
import {
  DEFAULT_REFERENCE_DATA,
  DEFAULT_V1,
  DEFAULT_V2_DRAFT,
  type RoutingRule,
  type RuleSet,
  type RuleSetVersion,
} from '@ruta/routing';
import {
  consentRecorded,
  householdLinked,
  personDeparted,
  personRegistered,
  personTransferred,
  sequenced,
  vulnerabilityScreened,
} from '@ruta/testing';
import { WhatIfReplay, type WhatIfReport } from './what-if-replay';

/** Replays `batches` (each routed as one batch, in order) through v1 and `candidate`. */
function whatIf(
  candidate: RuleSetVersion,
  batches: CloudEvent[][],
  options: { sectors?: Sector[]; examples?: number; baseline?: RuleSetVersion } = {},
): WhatIfReport {
  const replay = new WhatIfReplay({
    baseline: options.baseline ?? DEFAULT_V1,
    candidate,
    sectors: options.sectors ?? [...SECTORS],
    referenceData: DEFAULT_REFERENCE_DATA,
    examples: options.examples ?? 10,
  });
  for (const batch of batches) replay.apply(batch);
  return replay.report();
}

/** v1 under another version name, with one rule of one sector replaced by `change`. */
function variant(sector: Sector, type: string, change: (rule: RoutingRule) => RoutingRule | null): RuleSetVersion {
  const version = 'test-variant';
  const sectors = Object.fromEntries(
    SECTORS.map((s): [Sector, RuleSet] => {
      const rules = DEFAULT_V1.sectors[s].rules.flatMap((rule) => {
        if (s !== sector || rule.type !== type) return [rule];
        const changed = change(rule);
        return changed ? [changed] : [];
      });
      return [s, { ...DEFAULT_V1.sectors[s], version, rules }];
    }),
  ) as Record<Sector, RuleSet>;
  return { version, sectors };
}

/** A person's events as the gateway publishes them: sequenced 1, 2, 3, ... in the order given. */
const journey = (...events: CloudEvent[]) => events.map((e, i) => sequenced(e, i + 1));

const child = (id: string, ageYears: number) => personRegistered(id, { ageYears });
const byGuardian = (id: string) => consentRecorded(id, ['health'], { guardianPersonId: 'P-GUARDIAN' });

describe('what-if replay', () => {
  // A varied history: adults and children, consent before and after, screenings, a transfer, a departure.
  const adult = journey(
    personRegistered('P-ADULT', { ageYears: 34 }),
    consentRecorded('P-ADULT', ['health', 'social-development', 'protection']),
    vulnerabilityScreened('P-ADULT', { pregnant: true, needsFood: true, gbvRisk: true, mentalHealthDistress: true }),
    personTransferred('P-ADULT', 'lajas-blancas', 'los-planes'),
  );
  const three = journey(byGuardian('P-THREE'), child('P-THREE', 3));
  const five = journey(
    child('P-FIVE', 5),
    byGuardian('P-FIVE'),
    personTransferred('P-FIVE', 'lajas-blancas', 'los-planes'),
    personDeparted('P-FIVE'),
  );
  const fiveWithoutConsent = journey(child('P-FIVE-NC', 5), vulnerabilityScreened('P-FIVE-NC', { injury: true }));
  const six = journey(child('P-SIX', 6), byGuardian('P-SIX'));
  const noConsent = journey(
    personRegistered('P-NC', { ageYears: 40 }),
    vulnerabilityScreened('P-NC', { pregnant: true, malnutrition: true }),
  );
  const history = [...adult, ...three, ...five, ...fiveWithoutConsent, ...six, ...noConsent];
  const idOf = (events: CloudEvent[], i: number) => events[i]!.id;

  it('given the same rule set on both sides, when the history is replayed, then nothing changes', () => {
    const report = whatIf(DEFAULT_V1, [history]);
    expect(report).toMatchObject({ baseline: 'default-v1', candidate: 'default-v1', changed: 0, rules: [] });
    expect(report.decisions.baseline).toBeGreaterThan(10);
    expect(report.decisions.candidate).toBe(report.decisions.baseline);
    expect({ events: report.events, people: report.people }).toEqual({ events: history.length, people: 6 });
  });

  it('given the v2 draft (child-health under 6), then exactly the five-year-olds’ child-health decisions change', () => {
    const report = whatIf(DEFAULT_V2_DRAFT, [history]);

    expect(report.rules).toEqual([
      {
        sector: 'health',
        rule: 'child-health',
        changed: 5,
        onlyBaseline: 0,
        onlyCandidate: 5,
        differs: { outcome: 0, priority: 0, legalBasis: 0 },
        examples: [
          // Deferred at registration, referred on the guardian's consent, moved on the transfer, cancelled on departure.
          ...[0, 1, 2, 3].map((i) => ({
            personId: 'P-FIVE',
            eventId: idOf(five, i),
            referralType: 'child-health',
            change: 'only-candidate',
          })),
          // No consent: deferred at registration, and nothing more.
          {
            personId: 'P-FIVE-NC',
            eventId: idOf(fiveWithoutConsent, 0),
            referralType: 'child-health',
            change: 'only-candidate',
          },
        ],
      },
    ]);
    expect(report.changed).toBe(5);
    expect(report.decisions.candidate - report.decisions.baseline).toBe(5);
  });

  it('given a rule with another priority, then its decisions differ in priority, the referral’s moves included', () => {
    const report = whatIf(
      variant('health', 'mental-health', (rule) => ({ ...rule, priority: 'urgent' })),
      [history],
    );
    const examples = [2, 3].map((i) => ({
      personId: 'P-ADULT',
      eventId: idOf(adult, i),
      referralType: 'mental-health',
      change: 'differs',
      fields: ['priority'],
    }));
    expect(report.rules).toEqual([
      {
        sector: 'health',
        rule: 'mental-health',
        changed: 2,
        onlyBaseline: 0,
        onlyCandidate: 0,
        differs: { outcome: 0, priority: 2, legalBasis: 0 },
        examples,
      },
    ]);
  });

  it('given a rule that no longer needs consent, then a deferral becomes a referral and every basis differs', () => {
    const report = whatIf(
      variant('health', 'maternal-health', (rule) => ({ ...rule, legalBasis: () => 'vital-interest' })),
      [history],
    );
    expect(report.rules).toHaveLength(1);
    const [rule] = report.rules;
    // The adult with consent: referred and moved on both sides, on another basis; the one without: deferred, now referred.
    expect(rule).toMatchObject({
      rule: 'maternal-health',
      changed: 3,
      onlyBaseline: 0,
      onlyCandidate: 0,
      differs: { outcome: 1, priority: 0, legalBasis: 3 },
    });
    expect(rule!.examples.map((e) => [e.personId, e.eventId, e.change, e.fields])).toEqual([
      ['P-ADULT', idOf(adult, 2), 'differs', ['legalBasis']],
      ['P-ADULT', idOf(adult, 3), 'differs', ['legalBasis']],
      ['P-NC', idOf(noConsent, 1), 'differs', ['outcome', 'legalBasis']],
    ]);
  });

  it('given a rule dropped, then the decisions only the baseline makes are listed', () => {
    const report = whatIf(
      variant('health', 'nutrition', () => null),
      [history],
    );
    expect(report.rules.map((r) => [r.rule, r.changed, r.onlyBaseline])).toEqual([['nutrition', 1, 1]]);
    expect(report.rules[0]!.examples).toEqual([
      { personId: 'P-NC', eventId: idOf(noConsent, 1), referralType: 'nutrition', change: 'only-baseline' },
    ]);
  });

  it('keeps at most the examples asked for, ids and codes only, in the order of the history', () => {
    const report = whatIf(DEFAULT_V2_DRAFT, [history], { examples: 2 });
    const [rule] = report.rules;
    expect(rule!.changed).toBe(5);
    expect(rule!.examples.map((e) => e.eventId)).toEqual([idOf(five, 0), idOf(five, 1)]);
    for (const example of rule!.examples) {
      expect(Object.keys(example).sort()).toEqual(['change', 'eventId', 'personId', 'referralType']);
    }
  });

  it('replays only the sectors asked for', () => {
    const report = whatIf(DEFAULT_V2_DRAFT, [history], { sectors: ['protection', 'social-development'] });
    expect(report).toMatchObject({ sectors: ['protection', 'social-development'], changed: 0, rules: [] });
  });

  it('gives the same report whatever the batches, households included (the replay keeps what the store keeps)', () => {
    // A head needing shelter, linked to a five-year-old registered later: family-assistance moves to urgent.
    const household = [
      sequenced(personRegistered('P-HEAD', { ageYears: 31 }), 1),
      sequenced(consentRecorded('P-HEAD', ['social-development', 'health']), 2),
      sequenced(vulnerabilityScreened('P-HEAD', { needsShelter: true }), 3),
      sequenced(
        householdLinked('P-HEAD', [
          { personId: 'P-HEAD', relationship: 'head' },
          { personId: 'P-KID', relationship: 'child' },
        ]),
        4,
      ),
      sequenced(child('P-KID', 5), 1),
      sequenced(byGuardian('P-KID'), 2),
    ];
    const candidate = variant('social-development', 'family-assistance', (rule) => ({ ...rule, priority: 'urgent' }));
    const whole = [...history, ...household];
    const together = whatIf(candidate, [whole]);
    const oneByOne = whatIf(
      candidate,
      whole.map((e) => [e]),
    );
    expect(oneByOne).toEqual(together);
    expect(together.rules).toEqual([
      expect.objectContaining({
        sector: 'social-development',
        rule: 'family-assistance',
        changed: 1,
        examples: [
          {
            personId: 'P-HEAD',
            eventId: household[4]!.id,
            referralType: 'family-assistance',
            change: 'differs',
            fields: ['priority'],
          },
        ],
      }),
    ]);
    const draft = whatIf(
      DEFAULT_V2_DRAFT,
      whole.map((e) => [e]),
    );
    expect(draft).toEqual(whatIf(DEFAULT_V2_DRAFT, [whole]));
    expect(draft.rules[0]!.examples.filter((e) => e.personId === 'P-KID').map((e) => e.eventId)).toEqual([
      household[4]!.id,
      household[5]!.id,
    ]);
  });
});
