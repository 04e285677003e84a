import type { ScenarioEvent } from '@ruta/testing';
import { PolicyV1Oracle, type SectorName } from './policy-v1.oracle';

// The yardstick checked on its own: the cases of PRODUCT.md the system test leans on.
let n = 0;
const at = '2026-11-20T10:00:00Z';
const ev = (type: ScenarioEvent['type'], subject: string, data: object): ScenarioEvent =>
  ({
    specversion: '1.0',
    id: `e${++n}`,
    source: 's/x',
    type,
    subject,
    time: at,
    data: { personId: subject, ...data },
  }) as ScenarioEvent;
const registered = (id: string, data: object = {}) =>
  ev('person.registered', id, {
    stationId: 'lajas-blancas',
    ageYears: 30,
    sex: 'female',
    nationality: 'VEN',
    languages: ['es'],
    category: 'migrant',
    ...data,
  });
const screened = (id: string, indicators: object) => ev('vulnerability.screened', id, { indicators });
const consent = (id: string, sectors: SectorName[], more: object = {}) =>
  ev('consent.recorded', id, { informationSharing: 'granted', sectors, ...more });
const linked = (householdId: string, head: string, members: string[]) => {
  const e = ev('household.linked', head, {
    householdId,
    headPersonId: head,
    members: [head, ...members].map((p) => ({ personId: p, relationship: p === head ? 'head' : 'child' })),
  });
  delete (e.data as { personId?: string }).personId;
  return e;
};

const run = (...events: ScenarioEvent[]) => {
  const oracle = new PolicyV1Oracle();
  for (const e of events) oracle.apply(e);
  return (sector: SectorName) =>
    oracle
      .expected(sector)
      .map(
        (r) =>
          `${r.personId} ${r.type} ${r.status} ${r.servicePointId} ${r.legalBasis}${r.cancellationReason ? ` ${r.cancellationReason}` : ''}`,
      );
};

describe('the policy v1 oracle', () => {
  it('defers without consent and refers once the sector is consented to; a later decline keeps the referral', () => {
    const held = run(
      registered('A'),
      screened('A', { needsFood: true }),
      consent('A', ['health']),
      consent('A', ['social-development']),
      consent('A', [], { informationSharing: 'declined' }),
    );
    expect(held('social-development')).toEqual(['A food-assistance requested mides-lajas-blancas consent']);
  });

  it("counts a child's consent only with a guardian; vital interest and best interests need none", () => {
    const own = run(
      registered('C', { ageYears: 12 }),
      screened('C', { needsShelter: true, traffickingIndicators: true, unaccompaniedChild: true }),
      consent('C', ['social-development', 'protection']),
    );
    expect(own('social-development')).toEqual([]);
    expect(own('protection')).toEqual([
      'C child-protection requested protection-lajas-blancas best-interests-of-child',
      'C anti-trafficking requested protection-lajas-blancas vital-interest',
    ]);
    const guardian = run(
      registered('C', { ageYears: 12 }),
      screened('C', { needsShelter: true }),
      consent('C', ['social-development'], { guardianPersonId: 'G-1' }),
    );
    expect(guardian('social-development')).toEqual(['C shelter requested mides-lajas-blancas consent']);
  });

  it('reads age from the birth date at registration, and the latest screening only', () => {
    const held = run(
      registered('B', { ageYears: undefined, birthDate: '2022-11-21' }),
      consent('B', ['health'], { guardianPersonId: 'G' }),
      screened('B', { pregnant: true }),
      screened('B', {}),
    );
    expect(held('health')).toEqual([
      'B child-health requested health-lajas-blancas consent',
      'B maternal-health requested health-lajas-blancas consent',
    ]);
    const late = run(
      registered('D'),
      screened('D', { malnutrition: true }),
      screened('D', { chronicIllness: true }),
      consent('D', ['health']),
    );
    expect(late('health')).toEqual(['D chronic-care requested health-lajas-blancas consent']);
  });

  it('refers emergency care without consent, and medical care on an urgent incident once consented', () => {
    const held = run(
      registered('E'),
      ev('health.incident-reported', 'E', { severity: 'critical', category: 'trauma' }),
      ev('health.incident-reported', 'E', { severity: 'urgent', category: 'respiratory' }),
      consent('E', ['health']),
    );
    expect(held('health')).toEqual([
      'E emergency-care requested health-lajas-blancas vital-interest',
      'E medical-care requested health-lajas-blancas consent',
    ]);
  });

  it('moves open referrals on a transfer, cancels them on departure, and refers nobody afterwards', () => {
    const held = run(
      registered('F', { category: 'asylum-seeker' }),
      consent('F', ['protection', 'health']),
      ev('person.transferred', 'F', { fromStationId: 'lajas-blancas', toStationId: 'los-planes' }),
      ev('asylum.intent-expressed', 'F', { fearOfReturn: true }),
      screened('F', { gbvRisk: true }),
      ev('person.departed', 'F', {}),
      ev('health.incident-reported', 'F', { severity: 'critical', category: 'trauma' }),
    );
    expect(held('protection')).toEqual([
      'F international-protection cancelled protection-los-planes consent person-departed',
      'F gbv-case-management cancelled protection-los-planes consent person-departed',
    ]);
    expect(held('health')).toEqual([]);
  });

  it('gives the head family assistance whether the child registers before or after the link', () => {
    const head = [registered('H'), consent('H', ['social-development']), screened('H', { needsShelter: true })];
    const before = run(...head, registered('K', { ageYears: 7 }), linked('HH', 'H', ['K']));
    const after = run(...head, linked('HH', 'H', ['K']), registered('K', { ageYears: 7 }));
    const adult = run(...head, linked('HH', 'H', ['K']), registered('K', { ageYears: 19 }));
    const moved = run(
      ...head,
      linked('HH', 'H', ['K']),
      linked('OTHER', 'R', ['K']),
      registered('R'),
      registered('K', { ageYears: 7 }),
    );
    const family = 'H family-assistance requested mides-lajas-blancas consent';
    expect(before('social-development')).toContain(family);
    expect(after('social-development')).toContain(family);
    expect(adult('social-development')).not.toContain(family);
    expect(moved('social-development')).not.toContain(family);
  });
});
