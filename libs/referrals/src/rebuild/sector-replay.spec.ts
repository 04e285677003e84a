import type { CloudEvent } from '@ruta/contracts';
import { DEFAULT_REFERENCE_DATA, LIVE_RULE_SETS } from '@ruta/routing';
import {
  consentRecorded,
  personDeparted,
  personId,
  personRegistered,
  sequenced,
  vulnerabilityScreened,
} from '@ruta/testing';
import { LoggedReferralIds, type LoggedRequest } from './logged-referral-ids';
import { SectorReplay } from './sector-replay';

const policy = {
  sector: 'health' as const,
  ruleSet: LIVE_RULE_SETS.sectors.health,
  referenceData: DEFAULT_REFERENCE_DATA,
};
const AT = '2026-11-20T16:00:00.000Z';

const referralEvent = (type: string, personId: string, data: object): CloudEvent => ({
  specversion: '1.0',
  id: `${type}-${Math.random().toString(36).slice(2)}`,
  source: 'ruta/health-service',
  type,
  subject: personId,
  time: AT,
  datacontenttype: 'application/json',
  data: { sector: 'health', personId, ...data },
});

const facts = (referralId: string) => ({
  referralId,
  referralType: 'maternal-health',
  priority: 'urgent',
  legalBasis: 'consent',
  servicePointId: 'health-lajas-blancas',
  stationId: 'lajas-blancas',
  ruleSetVersion: LIVE_RULE_SETS.version,
});

/** Replays `events` in this order and answers what the replay rebuilt, in a form two replays compare by. */
function replayed(events: CloudEvent[], requests: LoggedRequest[], overridden: string[] = [], departures = {}) {
  const replay = new SectorReplay(
    policy,
    new LoggedReferralIds(requests, new Set(overridden)),
    new Map(Object.entries(departures)),
  );
  replay.apply(events);
  replay.finish();
  return {
    referrals: [...replay.referrals.values()].map(({ requestedAt: _r, updatedAt: _u, closedAt: _c, ...r }) => r),
    decisions: replay.decisions.map(({ at: _at, ...d }) => d).sort((a, b) => a.eventId.localeCompare(b.eventId)),
    timeline: replay.timeline.map(({ at: _at, ...t }) => t),
    views: [...replay.views.values()],
    orphans: replay.orphans,
  };
}

/**
 * The log keeps arrival order, and a referral event may reach it before the intake event that caused
 * it: a rebuild must come out the same whichever of the two arrived first.
 */
describe('SectorReplay, whatever the arrival order across topics', () => {
  it("takes routing's logged id for the referral it makes, with casework logged before the intake event", () => {
    // Given a pregnant person who consented, routed to R and accepted by a caseworker ...
    const p = personId();
    const r = '11111111-1111-4111-8111-111111111111';
    const intake = [
      sequenced(personRegistered(p), 1),
      sequenced(consentRecorded(p, ['health']), 2),
      sequenced(vulnerabilityScreened(p, { pregnant: true }), 3),
    ];
    const requested = referralEvent('referral.requested', p, { ...facts(r), requestedAt: AT });
    const accepted = referralEvent('referral.accepted', p, {
      ...facts(r),
      actor: 'cw',
      assignee: 'cw',
      acceptedAt: AT,
    });
    const requests = [{ referralId: r, personId: p, referralType: 'maternal-health' }];
    // ... when the referral events are logged after the intake events, or before them ...
    const causal = replayed([...intake, requested, accepted], requests);
    const early = replayed([requested, accepted, ...intake], requests);
    // ... then both rebuild R, accepted, with the decision that made it.
    expect(early).toEqual(causal);
    expect(causal.referrals).toMatchObject([{ id: r, status: 'accepted', assignee: 'cw', version: 2 }]);
    expect(causal.decisions).toMatchObject([{ outcome: 'referred', referralId: r, eventId: intake[2]!.id }]);
    expect(causal.orphans).toBe(0);
  });

  it("replays a supervisor's override logged before the deferral it overrides", () => {
    // Given a pregnant person with no consent, deferred, then overridden into referral R ...
    const p = personId();
    const r = '22222222-2222-4222-8222-222222222222';
    const intake = [sequenced(personRegistered(p), 1), sequenced(vulnerabilityScreened(p, { pregnant: true }), 2)];
    const override = referralEvent('decision.consent-overridden', p, {
      decisionId: '7',
      referralType: 'maternal-health',
      servicePointId: 'health-lajas-blancas',
      referralId: r,
      legalBasis: 'vital-interest',
      reason: 'vital-interest-emergency',
      actor: 'supervisor',
      overriddenAt: AT,
    });
    const requested = referralEvent('referral.requested', p, {
      ...facts(r),
      legalBasis: 'vital-interest',
      requestedAt: AT,
    });
    const requests = [{ referralId: r, personId: p, referralType: 'maternal-health' }];
    // ... when the override is logged after the intake events, or before them ...
    const causal = replayed([...intake, override, requested], requests, [r]);
    const early = replayed([override, requested, ...intake], requests, [r]);
    // ... then both keep the deferral, the override and its referral at the person's station.
    expect(early).toEqual(causal);
    expect(causal.decisions.map((d) => d.outcome).sort()).toEqual(['deferred', 'overridden']);
    expect(causal.referrals).toMatchObject([{ id: r, stationId: 'lajas-blancas', sourceEventId: override.id }]);
    expect(causal.timeline).toEqual([{ referralId: r, version: 1, type: 'referral.requested', actor: 'supervisor' }]);
    expect(causal.views[0]!.outcomes).toEqual({ 'maternal-health': 'referred' });
  });

  it("recognises routing's cancellation logged before the departure behind it", () => {
    // Given a referral R that routing cancelled when its person departed ...
    const p = personId();
    const r = '33333333-3333-4333-8333-333333333333';
    const routed = [
      sequenced(personRegistered(p), 1),
      sequenced(consentRecorded(p, ['health']), 2),
      sequenced(vulnerabilityScreened(p, { pregnant: true }), 3),
    ];
    const departed = sequenced(personDeparted(p), 4);
    const requested = referralEvent('referral.requested', p, { ...facts(r), requestedAt: AT });
    const cancelled = referralEvent('referral.cancelled', p, {
      ...facts(r),
      reason: 'person-departed',
      cancelledAt: AT,
    });
    const requests = [{ referralId: r, personId: p, referralType: 'maternal-health' }];
    // ... when the cancellation is logged after the departure, or before it ...
    const causal = replayed([...routed, requested, departed, cancelled], requests, [], { [p]: 1 });
    const early = replayed([...routed, requested, cancelled, departed], requests, [], { [p]: 1 });
    // ... then both cancel R once, by routing, at the departure.
    expect(early).toEqual(causal);
    expect(causal.referrals).toMatchObject([{ id: r, status: 'cancelled', cancellationReason: 'person-departed' }]);
    expect(causal.timeline.map((t) => [t.type, t.actor])).toEqual([
      ['referral.requested', 'system:health-routing'],
      ['referral.cancelled', 'system:health-routing'],
    ]);
  });
});
