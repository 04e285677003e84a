import type { LifecycleEvent } from './lifecycle-events';
import type { LifecycleState } from './lifecycle-state';

type Requested = Extract<LifecycleEvent, { type: 'referral.requested' }>;

/** The state a referral.requested starts. */
export function requestedState(event: Requested): LifecycleState {
  return {
    id: event.referralId,
    personId: event.personId,
    sector: event.sector,
    type: event.referralType,
    priority: event.priority,
    status: 'requested',
    servicePointId: event.servicePointId,
    stationId: event.stationId,
    legalBasis: event.legalBasis,
    assignee: null,
    version: 1,
    requestedAt: event.at,
    acknowledgedAt: null,
    acceptedAt: null,
    startedAt: null,
    closedAt: null,
    finishedAt: null,
    updatedAt: event.at,
    hold: null,
    outcome: null,
    closeReason: null,
  };
}

/** What one event changes, before the bookkeeping every event shares. */
function change(event: Exclude<LifecycleEvent, Requested>): Partial<LifecycleState> {
  const at = event.at;
  switch (event.type) {
    case 'referral.priority-raised':
      return { priority: event.priority };
    case 'referral.reassigned':
      return { servicePointId: event.servicePointId, stationId: event.stationId };
    case 'referral.accepted':
      return { status: 'accepted', acknowledgedAt: at, acceptedAt: at, assignee: event.assignee };
    case 'referral.rejected':
      return { status: 'rejected', acknowledgedAt: at, closedAt: at, closeReason: event.reason };
    case 'referral.cancelled':
      return { status: 'cancelled', closedAt: at, closeReason: event.reason, hold: null };
    case 'referral.started':
      return { status: 'in-progress', startedAt: at };
    case 'referral.put-on-hold':
      return { status: 'on-hold', hold: event.reason };
    case 'referral.resumed':
      return { status: 'in-progress', hold: null };
    case 'referral.completed':
      return { status: 'completed', closedAt: at, finishedAt: at, outcome: event.outcome };
    case 'referral.failed':
      return { status: 'failed', closedAt: at, finishedAt: at, closeReason: event.reason };
    case 'referral.assigned':
      return { assignee: event.assignee };
    case 'referral.transferred':
      return { servicePointId: event.servicePointId, stationId: event.stationId, assignee: null };
    case 'referral.referred-onward':
      return {};
  }
}

/**
 * Emmett's evolve: total and pure. Every event counts in version (the ETag), even one that changes
 * no field (an onward referral), so If-Match sees it; a referral.requested starts afresh.
 */
export function evolve(state: LifecycleState, event: LifecycleEvent): LifecycleState {
  if (event.type === 'referral.requested') return requestedState(event);
  return { ...state, ...change(event), version: state.version + 1, updatedAt: event.at };
}

/** The state a referral's events make, in order; null until its referral.requested. */
export function fold(events: readonly LifecycleEvent[], from: LifecycleState | null = null): LifecycleState | null {
  let state = from;
  for (const event of events) {
    if (event.type === 'referral.requested') state = requestedState(event);
    else if (state) state = evolve(state, event);
  }
  return state;
}
