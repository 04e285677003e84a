import type { ReferralStatus } from '../referral';
import { routingActor, type Actor } from './actor';
import { fixedClock } from './clock';
import { decide } from './decide';
import { fold } from './evolve';
import type { LifecycleCommand, LifecycleCommandKind } from './lifecycle-commands';
import type { LifecycleEvent } from './lifecycle-events';
import type { LifecycleState } from './lifecycle-state';

/** Given/when/then helpers for the lifecycle specs (and the lead's handler specs): no I/O. */
export const REQUESTED_AT = '2026-11-29T08:00:00.000Z';
export const clock = fixedClock('2026-11-29T08:30:00.000Z');
export const POINT = 'health-lajas-blancas';

const person = (subject: string, roles: string[], over: Partial<Actor> = {}): Actor => ({
  subject,
  roles,
  sector: 'health',
  servicePointId: POINT,
  ...over,
});

export const actors = {
  caseworker: person('cw-ana', ['caseworker']),
  colleague: person('cw-luis', ['caseworker']),
  supervisor: person('sv-rosa', ['supervisor']),
  borderAgent: person('ba-juan', ['border-agent'], { sector: null, servicePointId: null }),
  auditor: person('au-eva', ['auditor']),
  coordinator: person('co-ines', ['coordinator']),
  admin: person('ad-max', ['admin']),
  system: routingActor('health'),
  /** A caseworker of another point of the sector: bound to their own point. */
  otherPoint: person('cw-sol', ['caseworker'], { servicePointId: 'health-los-planes' }),
  /** A supervisor whose token names another point (or none): they act across the whole sector. */
  supervisorElsewhere: person('sv-tom', ['supervisor'], { servicePointId: 'health-los-planes' }),
  supervisorNoPoint: person('sv-ada', ['supervisor'], { servicePointId: null }),
  otherSector: person('cw-noa', ['caseworker', 'supervisor'], {
    sector: 'protection',
    servicePointId: 'protection-lajas-blancas',
  }),
};

export const requested: LifecycleEvent = {
  type: 'referral.requested',
  referralId: 'R-1',
  actor: 'system:health-routing',
  at: REQUESTED_AT,
  personId: 'P-100',
  sector: 'health',
  referralType: 'medical-care',
  priority: 'urgent',
  servicePointId: POINT,
  stationId: 'lajas-blancas',
  legalBasis: 'consent',
};

/** A command of each kind with valid data, sent by `actor`. */
export function commandOf(kind: LifecycleCommandKind, actor: Actor): LifecycleCommand {
  switch (kind) {
    case 'reject':
      return { kind, actor, reason: 'not-eligible' };
    case 'cancel':
      return { kind, actor, reason: actor === actors.system ? 'person-departed' : 'duplicate' };
    case 'hold':
      return { kind, actor, reason: 'awaiting-person' };
    case 'fail':
      return { kind, actor, reason: 'person-unreachable' };
    case 'complete':
      return { kind, actor, outcome: 'service-provided' };
    case 'assign':
    case 'reassign':
      return { kind, actor, assignee: 'cw-new' };
    case 'transfer':
      return { kind, actor, to: { servicePointId: 'health-san-vicente', sector: 'health', stationId: 'san-vicente' } };
    case 'refer-onward':
      return {
        kind,
        actor,
        toSector: 'protection',
        referralType: 'protection-assistance',
        legalBasis: 'consent',
        reason: 'protection-concern',
      };
    default:
      return { kind, actor };
  }
}

/** The commands that take a fresh referral to each status. */
export const PATHS: Record<ReferralStatus, LifecycleCommandKind[]> = {
  requested: [],
  accepted: ['accept'],
  rejected: ['reject'],
  cancelled: ['cancel'],
  'in-progress': ['accept', 'start'],
  'on-hold': ['accept', 'start', 'hold'],
  completed: ['accept', 'start', 'complete'],
  failed: ['accept', 'start', 'fail'],
};

/** The events of a referral walked to `status` by a supervisor (nobody holds it), and its state. */
export function given(
  status: ReferralStatus,
  by: Actor = actors.supervisor,
): { events: LifecycleEvent[]; state: LifecycleState } {
  const events: LifecycleEvent[] = [requested];
  let state = fold(events)!;
  for (const kind of PATHS[status]) {
    const decided = decide(state, commandOf(kind, by), clock);
    if (!decided.ok) throw new Error(`given ${status}: ${kind} refused with ${decided.code}`);
    events.push(...decided.events);
    state = fold(decided.events, state)!;
  }
  return { events, state };
}
