import type { ReferralReferredOnwardV1 } from '@ruta/contracts';
import {
  ageOf,
  emptyView,
  hasConsent,
  servicePointFor,
  type PersonView,
  type ReferenceData,
  type RuleSet,
} from '@ruta/routing';
import type { DecisionRecord, NewReferral, SectorEffects } from '../route-intake-events/sector-effects';
import type { OpenReferral, SectorState } from '../route-intake-events/sector-state';

export interface OnwardPolicy {
  ruleSet: RuleSet;
  referenceData: ReferenceData;
}

/** One onward referral addressed to this sector: the event's id and its checked data. */
export interface OnwardRequest {
  eventId: string;
  data: ReferralReferredOnwardV1;
}

/** What this sector knows of the person, under the person's lock. */
export interface OnwardContext {
  view: PersonView | undefined;
  /** This sector's open referral of the onward type, if any. */
  open: OpenReferral | undefined;
}

/** The explained decision on one onward referral, and the referral it makes, if any. */
export interface OnwardDecision {
  decision: DecisionRecord;
  referral?: NewReferral;
}

/**
 * How a sector routes a referral another sector sent onward (PRODUCT.md: "which that sector routes
 * as a new referral only with a legal basis for it"). Checked in order: the type must be one of this
 * sector's rules; a departed person gets nothing new; a consent basis needs this sector's consent
 * (else deferred, like routing); an open referral of the type is kept; else a new referral, at the
 * person's station's point (else the regional default), with the source's priority.
 */
export function decideOnwardReferral(
  policy: OnwardPolicy,
  request: OnwardRequest,
  context: OnwardContext,
  newId: () => string,
): OnwardDecision {
  const { data, eventId } = request;
  const sector = policy.ruleSet.sector;
  const type = data.onwardReferralType;
  const ruleSetVersion = data.ruleSetVersion || 'onward';
  const inputs = { fromSector: data.sector, fromReferralId: data.referralId };
  const about = {
    personId: data.personId,
    referralType: type,
    ruleSetVersion,
    legalBasis: data.onwardLegalBasis,
    eventId,
  };
  const refused = (reason: 'unknown-referral-type' | 'person-departed'): OnwardDecision => ({
    decision: { ...about, outcome: 'refused', reason, inputs, referralId: null },
  });
  if (!policy.ruleSet.rules.some((rule) => rule.type === type)) return refused('unknown-referral-type');
  const view = context.view ?? emptyView(data.personId);
  if (view.departed) return refused('person-departed');
  if (data.onwardLegalBasis === 'consent' && !hasConsent(view, sector, ageOf(view))) {
    return { decision: { ...about, outcome: 'deferred', reason: 'consent-required', inputs, referralId: null } };
  }
  if (context.open) {
    return { decision: { ...about, outcome: 'referred', reason: 'already-open', inputs, referralId: context.open.id } };
  }
  const stationId = view.station?.value ?? null;
  const referral: NewReferral = {
    id: newId(),
    personId: data.personId,
    type,
    priority: data.priority,
    status: 'requested',
    servicePointId: servicePointFor(policy.referenceData, sector, stationId ?? undefined),
    stationId,
    legalBasis: data.onwardLegalBasis,
    ruleSetVersion,
    decisionInputs: inputs,
    sourceEventId: eventId,
  };
  return {
    decision: { ...about, outcome: 'referred', reason: 'referred-onward', inputs, referralId: referral.id },
    referral,
  };
}

/**
 * Decides a batch of onward referrals in order, on the state loaded under the people's locks:
 * a referral made by one is open for the next, and each referred or deferred outcome is kept in the
 * view as routing keeps its own. `state` is updated in place.
 */
export function decideOnwardBatch(
  policy: OnwardPolicy,
  state: SectorState,
  requests: readonly OnwardRequest[],
  newId: () => string,
): SectorEffects {
  const effects: SectorEffects = { views: new Map(), memberships: new Map(), changes: [], decisions: [] };
  for (const request of requests) {
    const { personId, onwardReferralType: type } = request.data;
    const open = state.open.get(personId) ?? new Map<string, OpenReferral>();
    state.open.set(personId, open);
    const view = state.views.get(personId);
    const { decision, referral } = decideOnwardReferral(policy, request, { view, open: open.get(type) }, newId);
    effects.decisions.push(decision);
    const deferredAnew = decision.outcome === 'deferred' && !open.has(type);
    if (referral) {
      open.set(type, referral);
      effects.changes.push({ kind: 'requested', referral });
    }
    if (view && (deferredAnew || decision.reason === 'referred-onward')) {
      const next = { ...view, outcomes: { ...view.outcomes, [type]: decision.outcome } };
      state.views.set(personId, next);
      effects.views.set(personId, next);
    }
  }
  return effects;
}
