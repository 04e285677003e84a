import { SECTORS, type CloudEvent } from '@ruta/contracts';
import { DEFAULT_REFERENCE_DATA, DEFAULT_V1, DEFAULT_V2_DRAFT, type RuleSetVersion } from '@ruta/routing';
import {
  callers,
  consentRecorded,
  householdLinked,
  personDeparted,
  personId,
  personRegistered,
  personTransferred,
  sequenced,
  vulnerabilityScreened,
  waitUntil,
} from '@ruta/testing';
import { AuditTestBed } from '../../../test/audit-test-bed';
import { HistoryTooLong, runWhatIf, type AuditWhatIfReport } from './run-what-if';

/** One event of a person's journey, and whether the v2 draft (child-health under 6) changes a decision on it. */
interface Step {
  event: CloudEvent;
  draftChanges: boolean;
}
const changes = (event: CloudEvent): Step => ({ event, draftChanges: true });
const same = (event: CloudEvent): Step => ({ event, draftChanges: false });
/** A person's steps as the gateway publishes them: sequenced 1, 2, 3, ... */
const journey = (...steps: Step[]): Step[] => steps.map((s, i) => ({ ...s, event: sequenced(s.event, i + 1) }));

const aged = (id: string, ageYears: number) => personRegistered(id, { ageYears });
const byGuardian = (id: string) => consentRecorded(id, ['health'], { guardianPersonId: 'P-GUARDIAN-1' });
const EVERY_SECTOR = [...SECTORS];

/**
 * Journeys whose child-health decisions the draft changes, by hand: a five-year-old's registration
 * (deferred, or referred with a guardian's consent already there), the guardian's consent after it
 * (referred), and the referral's later move and cancellation. Everyone else routes alike.
 */
function journeys(): Step[][] {
  const [three, five, consentFirst, noConsent, ownConsent, six, adult, head, kid, born] = Array.from(
    { length: 10 },
    () => personId(),
  );
  return [
    journey(same(byGuardian(three!)), same(aged(three!, 3))),
    journey(
      changes(aged(five!, 5)),
      changes(byGuardian(five!)),
      same(vulnerabilityScreened(five!, { injury: true })),
      changes(personTransferred(five!, 'lajas-blancas', 'los-planes')),
      changes(personDeparted(five!)),
    ),
    journey(same(byGuardian(consentFirst!)), changes(aged(consentFirst!, 5))),
    journey(changes(aged(noConsent!, 5)), same(vulnerabilityScreened(noConsent!, { malnutrition: true }))),
    // A child's own consent does not count: deferred, and still deferred after it.
    journey(changes(aged(ownConsent!, 5)), same(consentRecorded(ownConsent!, ['health']))),
    journey(same(aged(six!, 6)), same(byGuardian(six!))),
    journey(
      same(aged(adult!, 40)),
      same(consentRecorded(adult!, EVERY_SECTOR)),
      same(vulnerabilityScreened(adult!, { pregnant: true, needsFood: true, gbvRisk: true, elderly: true })),
      same(personTransferred(adult!, 'lajas-blancas', 'los-planes')),
    ),
    journey(
      same(aged(head!, 33)),
      same(consentRecorded(head!, EVERY_SECTOR)),
      same(vulnerabilityScreened(head!, { needsShelter: true })),
      same(
        householdLinked(head!, [
          { personId: head!, relationship: 'head' },
          { personId: kid!, relationship: 'child' },
        ]),
      ),
    ),
    journey(changes(aged(kid!, 5)), changes(byGuardian(kid!))),
    // Five at registration from the birth date alone.
    journey(changes(personRegistered(born!, { ageYears: undefined, birthDate: '2021-06-01' }))),
  ];
}

/**
 * What-if over a real audit log: intake events published on the broker, logged by the audit
 * service, replayed from the log's bytes through two rule-set versions.
 */
describe('what-if over the audit log', () => {
  let bed: AuditTestBed;
  const history = [...journeys(), ...journeys(), ...journeys()];
  const steps = history.flat();
  const events = steps.map((s) => s.event);
  const people = new Set(events.map((e) => e.subject));
  const ids = new Set(events.map((e) => e.id));
  const sql = () => (text: string, params?: unknown[]) => bed.dataSource.query(text, params);
  const whatIf = (candidate: RuleSetVersion, examples = 1000) =>
    runWhatIf(sql(), {
      baseline: DEFAULT_V1,
      candidate,
      sectors: EVERY_SECTOR,
      referenceData: DEFAULT_REFERENCE_DATA,
      examples,
    });

  beforeAll(async () => {
    bed = await AuditTestBed.start('what-if');
    // Each person's events keyed by person, so each arrives in its order; people interleave as they may.
    await bed.publish(events);
    await waitUntil(async () => ((await bed.logSize()) >= events.length ? true : undefined), 'the history logged');
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('given the same rule set on both sides, when the history is replayed, then no decision changes', async () => {
    const report = await whatIf(DEFAULT_V1);
    expect(report).toMatchObject({
      baseline: 'default-v1',
      candidate: 'default-v1',
      events: events.length,
      people: people.size,
      changed: 0,
      rules: [],
      unreadable: 0,
    });
    expect(report.decisions.baseline).toBeGreaterThan(events.length / 2);
    expect(report.decisions.candidate).toBe(report.decisions.baseline);
  });

  it('given the draft that changes child-health only, then exactly the decisions of that rule expected change', async () => {
    const report = await whatIf(DEFAULT_V2_DRAFT);
    const expected = steps.filter((s) => s.draftChanges).map((s) => `${s.event.subject} ${s.event.id}`);

    expect(report.rules.map((r) => [r.sector, r.rule])).toEqual([['health', 'child-health']]);
    const [rule] = report.rules;
    expect(rule).toMatchObject({ changed: expected.length, onlyBaseline: 0, onlyCandidate: expected.length });
    expect(report.changed).toBe(expected.length);
    expect(rule!.examples.map((e) => `${e.personId} ${e.eventId}`).sort()).toEqual(expected.sort());
    expect(report.decisions.candidate - report.decisions.baseline).toBe(expected.length);
  });

  it('gives examples as ids only: nothing a person told, nothing a rule read', async () => {
    const report = await whatIf(DEFAULT_V2_DRAFT, 3);
    expect(report.rules[0]!.examples).toHaveLength(3);
    for (const example of report.rules[0]!.examples) {
      expect(Object.keys(example).sort()).toEqual(['change', 'eventId', 'personId', 'referralType']);
      expect(people.has(example.personId) && ids.has(example.eventId)).toBe(true);
    }
    const text = JSON.stringify(report);
    for (const told of ['VEN', 'female', '2021-06-01', 'P-GUARDIAN-1', 'lajas-blancas'])
      expect(text).not.toContain(told);
  });

  it('refuses a history longer than the bound it is given', async () => {
    await expect(
      runWhatIf(sql(), {
        baseline: DEFAULT_V1,
        candidate: DEFAULT_V2_DRAFT,
        sectors: EVERY_SECTOR,
        referenceData: DEFAULT_REFERENCE_DATA,
        examples: 1,
        maxEvents: events.length - 1,
      }),
    ).rejects.toBeInstanceOf(HistoryTooLong);
  });

  describe('POST /v1/audit/what-if', () => {
    it('answers an auditor the report for a version in the repo, one sector when asked', async () => {
      const { status, body } = await bed.post('/v1/audit/what-if', callers.auditor, {
        ruleSet: 'default-v2-draft',
        sector: 'health',
        examples: 50,
      });
      expect(status).toBe(200);
      const report = body as AuditWhatIfReport;
      const expected = steps.filter((s) => s.draftChanges).length;
      expect(report).toMatchObject({ baseline: 'default-v1', candidate: 'default-v2-draft', sectors: ['health'] });
      expect(report.rules.map((r) => [r.rule, r.changed, r.examples.length])).toEqual([
        ['child-health', expected, Math.min(expected, 50)],
      ]);
      expect(report.through).toMatch(/^\d+$/);
    });

    it.each([
      [{ ruleSet: './rules/evil.js' }, 'ruleSet'],
      [{ ruleSet: 'default-v3' }, 'ruleSet'],
      [{ ruleSet: 'default-v2-draft', baseline: '/tmp/rules.js' }, 'baseline'],
      [{ ruleSet: 'default-v2-draft', sector: 'housing' }, 'sector'],
      [{ ruleSet: 'default-v2-draft', examples: 51 }, 'examples'],
      [{ ruleSet: 'default-v2-draft', path: '/tmp/rules.js' }, '(unknown field)'],
    ])('refuses %j with a 400 naming %s, never echoing the value', async (request, field) => {
      const { status, body } = await bed.post('/v1/audit/what-if', callers.auditor, request);
      expect(status).toBe(400);
      expect(body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      expect(JSON.stringify(body)).not.toMatch(/evil|default-v3|\/tmp|housing/);
    });

    it('answers no one but an auditor', async () => {
      const request = { ruleSet: 'default-v2-draft' };
      expect((await bed.post('/v1/audit/what-if', callers.borderAgent, request)).status).toBe(403);
      expect((await bed.post('/v1/audit/what-if', undefined, request)).status).toBe(401);
    });
  });
});
