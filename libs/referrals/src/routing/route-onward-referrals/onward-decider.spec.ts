import type { LegalBasis, ReferralReferredOnwardV1 } from '@ruta/contracts';
import { DEFAULT_REFERENCE_DATA, DEFAULT_RULE_SETS, emptyView, type PersonView } from '@ruta/routing';
import { emptyState } from '../route-intake-events/sector-state';
import type { OpenReferral } from '../route-intake-events/sector-state';
import { decideOnwardBatch, decideOnwardReferral, type OnwardRequest } from './onward-decider';

const HEALTH = { ruleSet: DEFAULT_RULE_SETS.health, referenceData: DEFAULT_REFERENCE_DATA };
const P = 'P-100';
const SOURCE = '5d3c1e0a-7b2f-4c1d-9e8a-1f2b3c4d5e6f';

const request = (over: Partial<ReferralReferredOnwardV1> = {}): OnwardRequest => ({
  eventId: 'E-1',
  data: {
    referralId: SOURCE,
    personId: P,
    sector: 'protection',
    referralType: 'child-protection',
    priority: 'emergency',
    legalBasis: 'best-interests-of-child',
    servicePointId: 'protection-lajas-blancas',
    ruleSetVersion: 'default-v1',
    toSector: 'health',
    onwardReferralType: 'mental-health',
    onwardLegalBasis: 'consent',
    reason: 'health-concern',
    referredAt: '2026-11-29T09:00:00.000Z',
    ...over,
  },
});

/** A health view of an adult (or of `age`) at `station`, with or without consent for health. */
function view(
  facts: { consent?: 'health' | 'other' | 'none'; age?: number; byGuardian?: boolean; station?: string } = {},
): PersonView {
  const v: PersonView = { ...emptyView(P), lastSeq: 3 };
  v.basics = { seq: 1, value: { sex: 'female', nationality: 'VEN', languages: ['es'], age: facts.age ?? 30 } };
  if (facts.station) v.station = { seq: 1, value: facts.station };
  if (facts.consent && facts.consent !== 'none') {
    const sectors = facts.consent === 'health' ? ['health' as const] : ['protection' as const];
    v.consent = { seq: 2, value: { informationSharing: 'granted', sectors, byGuardian: facts.byGuardian ?? false } };
  }
  return v;
}

const open: OpenReferral = {
  id: 'R-open',
  type: 'mental-health',
  priority: 'routine',
  status: 'accepted',
  servicePointId: 'health-san-vicente',
  stationId: 'san-vicente',
  legalBasis: 'consent',
  ruleSetVersion: 'default-v1',
};

describe('onward referral decider (the receiving sector)', () => {
  const cases: [
    string,
    { type?: string; basis?: LegalBasis; view?: PersonView; departed?: boolean; open?: OpenReferral },
    { outcome: string; reason: string; referralId: string | null; servicePointId?: string; stationId?: string | null },
  ][] = [
    [
      'a type this sector has no rule for is refused, nothing made',
      { type: 'shelter', basis: 'vital-interest', view: view({ consent: 'health' }) },
      { outcome: 'refused', reason: 'unknown-referral-type', referralId: null },
    ],
    [
      'a departed person gets nothing new',
      { basis: 'vital-interest', view: { ...view({ consent: 'health' }), departed: true } },
      { outcome: 'refused', reason: 'person-departed', referralId: null },
    ],
    [
      'consent as basis without consent for this sector is deferred',
      { basis: 'consent', view: view({ consent: 'other', station: 'los-planes' }) },
      { outcome: 'deferred', reason: 'consent-required', referralId: null },
    ],
    [
      'consent as basis with no view of the person at all is deferred',
      { basis: 'consent', view: undefined },
      { outcome: 'deferred', reason: 'consent-required', referralId: null },
    ],
    [
      "a child's consent counts only when a guardian recorded it",
      { basis: 'consent', view: view({ consent: 'health', age: 9 }) },
      { outcome: 'deferred', reason: 'consent-required', referralId: null },
    ],
    [
      "a child's consent recorded by a guardian is a basis",
      { basis: 'consent', view: view({ consent: 'health', age: 9, byGuardian: true, station: 'san-vicente' }) },
      {
        outcome: 'referred',
        reason: 'referred-onward',
        referralId: 'R-1',
        servicePointId: 'health-san-vicente',
        stationId: 'san-vicente',
      },
    ],
    [
      'consent for this sector: a referral at the point of the station',
      { basis: 'consent', view: view({ consent: 'health', station: 'los-planes' }) },
      {
        outcome: 'referred',
        reason: 'referred-onward',
        referralId: 'R-1',
        servicePointId: 'health-los-planes',
        stationId: 'los-planes',
      },
    ],
    [
      'vital interest needs no consent; no station known: the regional default',
      { basis: 'vital-interest', view: view({ consent: 'none' }) },
      {
        outcome: 'referred',
        reason: 'referred-onward',
        referralId: 'R-1',
        servicePointId: 'meteti-hospital',
        stationId: null,
      },
    ],
    [
      'an open referral of the type is kept: the decision names it, nothing new',
      { basis: 'vital-interest', view: view({ consent: 'health' }), open },
      { outcome: 'referred', reason: 'already-open', referralId: 'R-open' },
    ],
  ];

  it.each(cases)('%s', (_, given, then) => {
    const decided = decideOnwardReferral(
      HEALTH,
      request({ onwardReferralType: given.type ?? 'mental-health', onwardLegalBasis: given.basis ?? 'consent' }),
      { view: given.view, open: given.open },
      () => 'R-1',
    );
    expect(decided.decision).toEqual({
      personId: P,
      referralType: given.type ?? 'mental-health',
      ruleSetVersion: 'default-v1',
      legalBasis: given.basis ?? 'consent',
      eventId: 'E-1',
      outcome: then.outcome,
      reason: then.reason,
      inputs: { fromSector: 'protection', fromReferralId: SOURCE },
      referralId: then.referralId,
    });
    if (then.reason !== 'referred-onward') {
      expect(decided.referral).toBeUndefined();
      return;
    }
    expect(decided.referral).toEqual({
      id: 'R-1',
      personId: P,
      type: 'mental-health',
      priority: 'emergency',
      status: 'requested',
      servicePointId: then.servicePointId,
      stationId: then.stationId,
      legalBasis: given.basis,
      ruleSetVersion: 'default-v1',
      decisionInputs: { fromSector: 'protection', fromReferralId: SOURCE },
      sourceEventId: 'E-1',
    });
  });

  it("takes the source's rule-set version, or 'onward' when it has none", () => {
    const decided = decideOnwardReferral(
      HEALTH,
      request({ onwardLegalBasis: 'vital-interest', ruleSetVersion: '' }),
      { view: view(), open: undefined },
      () => 'R-1',
    );
    expect(decided.referral?.ruleSetVersion).toBe('onward');
    expect(decided.decision.ruleSetVersion).toBe('onward');
  });

  describe('a batch', () => {
    it('given two onward referrals of one type, when decided together, then one referral and the second kept', () => {
      const state = emptyState();
      state.views.set(P, view({ consent: 'health', station: 'lajas-blancas' }));
      let ids = 0;
      const effects = decideOnwardBatch(
        HEALTH,
        state,
        [request(), { ...request(), eventId: 'E-2' }],
        () => `R-${++ids}`,
      );
      expect(effects.changes.map((c) => `${c.kind}:${c.referral.id}:${c.referral.servicePointId}`)).toEqual([
        'requested:R-1:health-lajas-blancas',
      ]);
      expect(effects.decisions.map((d) => `${d.eventId}:${d.outcome}:${d.reason}:${d.referralId}`)).toEqual([
        'E-1:referred:referred-onward:R-1',
        'E-2:referred:already-open:R-1',
      ]);
      expect(effects.views.get(P)?.outcomes).toEqual({ 'mental-health': 'referred' });
    });

    it('keeps a deferral in the view as routing does, and leaves the view alone for a refusal', () => {
      const state = emptyState();
      state.views.set(P, view({ consent: 'none' }));
      const effects = decideOnwardBatch(
        HEALTH,
        state,
        [request(), { ...request({ onwardReferralType: 'shelter' }), eventId: 'E-2' }],
        () => 'R-x',
      );
      expect(effects.changes).toEqual([]);
      expect(effects.decisions.map((d) => `${d.outcome}:${d.reason}`)).toEqual([
        'deferred:consent-required',
        'refused:unknown-referral-type',
      ]);
      expect(effects.views.get(P)?.outcomes).toEqual({ 'mental-health': 'deferred' });
    });
  });
});
