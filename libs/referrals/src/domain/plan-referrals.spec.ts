import type { RoutingDecision } from '@ruta/routing';
import { planReferrals, type OpenReferral } from './plan-referrals';

const decision = (overrides: Partial<RoutingDecision> = {}): RoutingDecision => ({
  personId: 'P-1',
  sector: 'health',
  referralType: 'medical-care',
  ruleSetVersion: 'default-v1',
  priority: 'urgent',
  legalBasis: 'consent',
  outcome: 'refer',
  inputs: { injury: true },
  ...overrides,
});

describe('planReferrals', () => {
  it('creates a referral when none of that type is open', () => {
    expect(planReferrals([decision()], new Map())).toEqual([{ kind: 'create', decision: decision() }]);
  });

  it('does nothing when one of that type is open at the same or a higher priority', () => {
    const open = new Map<string, OpenReferral>([
      ['medical-care', { id: 'r1', type: 'medical-care', priority: 'emergency' }],
    ]);
    expect(planReferrals([decision()], open)).toEqual([]);
  });

  it('raises the priority of the open referral instead of creating a second', () => {
    const open = new Map<string, OpenReferral>([
      ['medical-care', { id: 'r1', type: 'medical-care', priority: 'routine' }],
    ]);
    expect(planReferrals([decision()], open)).toEqual([
      { kind: 'raise-priority', referralId: 'r1', decision: decision() },
    ]);
  });

  it('records a deferral only while no referral of that type is open', () => {
    const deferred = decision({ outcome: 'deferred', reason: 'consent-required', inputs: {} });
    expect(planReferrals([deferred], new Map())).toEqual([{ kind: 'defer', decision: deferred }]);
    const open = new Map<string, OpenReferral>([
      ['medical-care', { id: 'r1', type: 'medical-care', priority: 'urgent' }],
    ]);
    expect(planReferrals([deferred], open)).toEqual([]);
  });
});
