import type { PersonView } from '../person-view/person-view';
import { HEALTH_RULES_V1, PROTECTION_RULES_V1, SOCIAL_DEVELOPMENT_RULES_V1 } from './default-v1.rules';
import { evaluateRules } from './evaluate';

const adult = (overrides: Partial<PersonView> = {}): PersonView => ({
  personId: 'P-1',
  stationId: 'lajas-blancas',
  registeredAt: '2026-11-20T14:05:00Z',
  ageYears: 30,
  indicators: {},
  departed: false,
  ...overrides,
});

const consentTo = (sector: 'health' | 'social-development' | 'protection', guardianPersonId?: string) => ({
  consent: { informationSharing: 'granted' as const, sectors: [sector], guardianPersonId },
});

describe('evaluateRules (default-v1)', () => {
  it('refers a pregnant person to maternal-health when health has consent, naming rule and inputs', () => {
    const decisions = evaluateRules(adult({ indicators: { pregnant: true }, ...consentTo('health') }), HEALTH_RULES_V1);
    expect(decisions).toEqual([
      {
        personId: 'P-1',
        sector: 'health',
        referralType: 'maternal-health',
        ruleSetVersion: 'default-v1',
        priority: 'urgent',
        legalBasis: 'consent',
        outcome: 'refer',
        inputs: { pregnant: true },
      },
    ]);
  });

  it('defers a consent-based referral without consent and keeps no inputs', () => {
    const [decision] = evaluateRules(adult({ indicators: { needsShelter: true } }), SOCIAL_DEVELOPMENT_RULES_V1);
    expect(decision).toMatchObject({
      referralType: 'shelter',
      outcome: 'deferred',
      reason: 'consent-required',
      inputs: {},
    });
  });

  it('defers when consent names another sector or was declined', () => {
    const declined = { consent: { informationSharing: 'declined' as const, sectors: ['health' as const] } };
    expect(
      evaluateRules(adult({ indicators: { pregnant: true }, ...consentTo('protection') }), HEALTH_RULES_V1)[0]?.outcome,
    ).toBe('deferred');
    expect(evaluateRules(adult({ indicators: { pregnant: true }, ...declined }), HEALTH_RULES_V1)[0]?.outcome).toBe(
      'deferred',
    );
  });

  it('refers an unaccompanied child to child-protection as an emergency without consent', () => {
    const [decision] = evaluateRules(
      adult({ ageYears: 12, indicators: { unaccompaniedChild: true } }),
      PROTECTION_RULES_V1,
    );
    expect(decision).toMatchObject({
      referralType: 'child-protection',
      priority: 'emergency',
      legalBasis: 'best-interests-of-child',
      outcome: 'refer',
    });
  });

  it("counts a child's consent only when recorded with a guardian", () => {
    const child = { ageYears: 3, birthDate: undefined };
    expect(evaluateRules(adult({ ...child, ...consentTo('health') }), HEALTH_RULES_V1)[0]).toMatchObject({
      referralType: 'child-health',
      outcome: 'deferred',
    });
    expect(evaluateRules(adult({ ...child, ...consentTo('health', 'P-2') }), HEALTH_RULES_V1)[0]).toMatchObject({
      referralType: 'child-health',
      outcome: 'refer',
    });
  });

  it('derives age from birthDate at registration for elderly-support', () => {
    const view = adult({ ageYears: undefined, birthDate: '1966-11-21', ...consentTo('social-development') });
    expect(evaluateRules(view, SOCIAL_DEVELOPMENT_RULES_V1)).toEqual([]);
    const older = { ...view, birthDate: '1966-11-20' };
    expect(evaluateRules(older, SOCIAL_DEVELOPMENT_RULES_V1)[0]).toMatchObject({
      referralType: 'elderly-support',
      inputs: { elderly: false, age: 60 },
    });
  });

  it('uses vital-interest for a trafficked child and consent for an adult', () => {
    const child = evaluateRules(
      adult({ ageYears: 15, indicators: { traffickingIndicators: true } }),
      PROTECTION_RULES_V1,
    );
    expect(child[0]).toMatchObject({ legalBasis: 'vital-interest', outcome: 'refer' });
    const grown = evaluateRules(adult({ indicators: { traffickingIndicators: true } }), PROTECTION_RULES_V1);
    expect(grown[0]).toMatchObject({ legalBasis: 'consent', outcome: 'deferred' });
  });

  it('makes no decision for a person who departed', () => {
    expect(
      evaluateRules(adult({ departed: true, indicators: { unaccompaniedChild: true } }), PROTECTION_RULES_V1),
    ).toEqual([]);
  });
});
