import type { Actor } from './actor';
import { decideConsentOverride, evolveDeferral, type Deferral, type OverrideConsent } from './consent-override';
import { actors, clock } from './lifecycle.fixtures';

const DEFERRAL: Deferral = {
  decisionId: 'D-1',
  personId: 'P-100',
  sector: 'health',
  referralType: 'medical-care',
  servicePointId: 'health-lajas-blancas',
  status: 'deferred',
};
const override = (over: Partial<OverrideConsent> = {}): OverrideConsent => ({
  kind: 'override-consent',
  actor: actors.supervisor,
  legalBasis: 'vital-interest',
  reason: 'vital-interest-emergency',
  ...over,
});

describe('consent override on a deferred decision', () => {
  it('given a deferral, when a supervisor overrides with a legal basis and a reason, then the auditors see who, why and on what basis', () => {
    const decided = decideConsentOverride(DEFERRAL, override({ note: 'unconscious on arrival' }), clock);
    expect(decided).toEqual({
      ok: true,
      events: [
        {
          type: 'decision.consent-overridden',
          decisionId: 'D-1',
          personId: 'P-100',
          sector: 'health',
          referralType: 'medical-care',
          servicePointId: 'health-lajas-blancas',
          legalBasis: 'vital-interest',
          reason: { code: 'vital-interest-emergency', note: 'unconscious on arrival' },
          actor: 'sv-rosa',
          at: '2026-11-29T08:30:00.000Z',
        },
      ],
    });
    const after = evolveDeferral(DEFERRAL, decided.ok ? decided.events[0] : (undefined as never));
    expect(after.status).toBe('overridden');
    expect(decideConsentOverride(after, override(), clock)).toEqual({ ok: true, events: [] });
  });

  it.each<[string, Actor]>([
    ['caseworker', actors.caseworker],
    ['auditor', actors.auditor],
    ['coordinator', actors.coordinator],
    ['admin', actors.admin],
    ['routing', { ...actors.system, servicePointId: 'health-lajas-blancas' }],
  ])('refuses a %s: supervisors only', (_, actor) => {
    expect(decideConsentOverride(DEFERRAL, override({ actor }), clock)).toEqual({
      ok: false,
      code: 'REFERRAL.FORBIDDEN',
      message: 'override-consent needs the role supervisor',
    });
  });

  it.each([['otherSector'], ['borderAgent']] as const)('refuses %s as not found', (who) => {
    expect(decideConsentOverride(DEFERRAL, override({ actor: actors[who] }), clock)).toEqual({
      ok: false,
      code: 'REFERRAL.OUT_OF_SCOPE',
      message: 'decision not found',
    });
  });

  it.each([['supervisorElsewhere'], ['supervisorNoPoint']] as const)(
    'lets a supervisor of the sector override at any of its points (%s)',
    (who) => {
      expect(decideConsentOverride(DEFERRAL, override({ actor: actors[who] }), clock)).toMatchObject({
        ok: true,
        events: [{ type: 'decision.consent-overridden', actor: actors[who].subject }],
      });
    },
  );

  it('hides a deferral at another service point from a caseworker: their scope is their point', () => {
    const caseworker = { ...actors.caseworker, servicePointId: 'health-los-planes' };
    expect(decideConsentOverride(DEFERRAL, override({ actor: caseworker }), clock)).toMatchObject({
      ok: false,
      code: 'REFERRAL.OUT_OF_SCOPE',
    });
  });

  it('refuses once the person departed: no new referral afterwards', () => {
    expect(decideConsentOverride({ ...DEFERRAL, personDeparted: true }, override(), clock)).toEqual({
      ok: false,
      code: 'DECISION.NOT_DEFERRED',
      message: 'the person departed: no new referral is made',
    });
  });

  it('refuses consent as the basis: its absence is why the decision was deferred', () => {
    expect(decideConsentOverride(DEFERRAL, override({ legalBasis: 'consent' }), clock)).toMatchObject({
      ok: false,
      code: 'DECISION.CONSENT_IS_NOT_A_BASIS',
    });
  });

  it.each([[undefined], [''], ['public-interest']])('needs a legal basis other than consent (%p)', (legalBasis) => {
    expect(decideConsentOverride(DEFERRAL, override({ legalBasis }), clock)).toEqual({
      ok: false,
      code: 'REFERRAL.LEGAL_BASIS_REQUIRED',
      message: 'legalBasis is required: one of vital-interest, best-interests-of-child',
    });
  });

  it('needs a reason from its list', () => {
    expect(decideConsentOverride(DEFERRAL, override({ reason: undefined }), clock)).toMatchObject({
      ok: false,
      code: 'REFERRAL.REASON_REQUIRED',
    });
    expect(decideConsentOverride(DEFERRAL, override({ reason: 'urgent' }), clock)).toMatchObject({
      ok: false,
      code: 'REFERRAL.UNKNOWN_REASON',
    });
  });

  it('never overrides gbv-case-management: consent, no exception (PRODUCT.md)', () => {
    const gbv = {
      ...DEFERRAL,
      sector: 'protection' as const,
      referralType: 'gbv-case-management',
      servicePointId: 'protection-lajas-blancas',
    };
    const supervisor = {
      ...actors.supervisor,
      sector: 'protection' as const,
      servicePointId: 'protection-lajas-blancas',
    };
    expect(decideConsentOverride(gbv, override({ actor: supervisor }), clock)).toMatchObject({
      ok: false,
      code: 'DECISION.OVERRIDE_NOT_PERMITTED',
    });
  });

  it('refuses a decision that is no longer deferred (consent came, the referral exists)', () => {
    expect(decideConsentOverride({ ...DEFERRAL, status: 'referred' }, override(), clock)).toMatchObject({
      ok: false,
      code: 'DECISION.NOT_DEFERRED',
    });
  });
});
