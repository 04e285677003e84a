import { DEFAULT_REFERENCE_DATA, emptyView, type PersonView } from '@ruta/routing';
import { deferralOf, type DeferralFacts } from './deferral-of';
import type { DecisionRow } from './override-consent.store';

const row = (id: string, outcome: string, over: Partial<DecisionRow> = {}): DecisionRow => ({
  id,
  personId: 'P-100',
  referralType: 'international-protection',
  outcome,
  legalBasis: 'consent',
  reason: outcome === 'deferred' ? 'consent-required' : null,
  inputs: {},
  referralId: null,
  decidedAt: '2026-11-29T08:00:00.000Z',
  ...over,
});
const atStation = (station?: string): PersonView => ({
  ...emptyView('P-100'),
  ...(station ? { station: { seq: 1, value: station } } : {}),
});
const DEFERRED = row('7', 'deferred');
const facts = (over: Partial<DeferralFacts> = {}): DeferralFacts => ({
  decision: DEFERRED,
  latest: DEFERRED,
  openReferral: false,
  view: atStation('san-vicente'),
  ...over,
});
const statusOf = (over: Partial<DeferralFacts>) => deferralOf(facts(over), 'protection', DEFAULT_REFERENCE_DATA).status;

describe('the deferral an override judges, from what the sector recorded', () => {
  it('given the latest decision is the deferral itself, then it stands, at the point of the person’s station', () => {
    expect(deferralOf(facts(), 'protection', DEFAULT_REFERENCE_DATA)).toEqual({
      decisionId: '7',
      personId: 'P-100',
      sector: 'protection',
      referralType: 'international-protection',
      servicePointId: 'protection-san-vicente',
      status: 'deferred',
      personDeparted: false,
    });
  });

  it('given no station is known, then the referral would go to the regional default', () => {
    expect(deferralOf(facts({ view: atStation() }), 'protection', DEFAULT_REFERENCE_DATA).servicePointId).toBe(
      'protection-darien',
    );
    expect(deferralOf(facts({ view: undefined }), 'protection', DEFAULT_REFERENCE_DATA).servicePointId).toBe(
      'protection-darien',
    );
  });

  it.each<[string, Partial<DeferralFacts>, string]>([
    [
      'its own override is the latest decision',
      { latest: row('9', 'overridden', { inputs: { overriddenDecisionId: '7' } }) },
      'overridden',
    ],
    ['consent came and routing referred', { latest: row('9', 'referred') }, 'referred'],
    [
      'an override of another deferral is the latest',
      { latest: row('9', 'overridden', { inputs: { overriddenDecisionId: '3' } }) },
      'referred',
    ],
    ['a later deferral replaced it', { latest: row('9', 'deferred') }, 'referred'],
    ['a referral of the type is open all the same', { openReferral: true }, 'referred'],
    ['the decision was never a deferral', { decision: row('7', 'referred'), latest: row('7', 'referred') }, 'referred'],
  ])('given %s, then it is %s', (_, given, status) => {
    expect(statusOf(given)).toBe(status);
  });

  it('given the person departed, then the decider is told so', () => {
    const view = { ...atStation('san-vicente'), departed: true };
    expect(deferralOf(facts({ view }), 'protection', DEFAULT_REFERENCE_DATA).personDeparted).toBe(true);
  });
});
