import { HOUSEHOLD_LINKED, PERSON_REGISTERED, type CloudEvent, type HouseholdLinkedV1 } from '@ruta/contracts';
import {
  ageOf,
  emptyView,
  evaluateRules,
  evolvePersonView,
  placeOf,
  servicePointFor,
  type HouseholdStanding,
  type PersonView,
  type ReferenceData,
  type RuleSet,
  type SectorReads,
} from '@ruta/routing';
import { isHigherPriority } from '../../domain/referral';
import type { DecisionRecord, SectorEffects } from './sector-effects';
import type { OpenReferral, SectorState } from './sector-state';

export interface SectorPolicy {
  ruleSet: RuleSet;
  reads: SectorReads;
  referenceData: ReferenceData;
}

/** The rule a decision is about, as a routing decision or an open referral names it. */
type RuleOfDecision = Pick<DecisionRecord, 'referralType' | 'ruleSetVersion' | 'legalBasis'>;

/**
 * Outcomes after which the rule's referral exists or existed: with none open, a caseworker closed it
 * (rejected, completed, failed, cancelled), and the next intake event does not make it again.
 */
const MADE = new Set(['referred', 'priority-raised', 'moved']);

/** Statuses a station change still moves: nobody has started working on the referral. */
const MOVABLE = new Set(['requested', 'accepted']);

/**
 * The pure sector decider: folds a batch of intake events into the people's views (by their
 * sequence), applies transfers and departures to open referrals, evaluates the rules for each
 * person an event concerns (a head too, when a member under 18 registers) and records a decision
 * only when an outcome changes. A referral is made only when its rule's outcome becomes referred. `state` is updated in place; ids come from `newId`.
 */
export function decideSectorBatch(
  policy: SectorPolicy,
  state: SectorState,
  events: readonly CloudEvent[],
  newId: () => string,
): SectorEffects {
  const effects: SectorEffects = { views: new Map(), memberships: new Map(), changes: [], decisions: [] };
  const sector = policy.ruleSet.sector;
  const viewOf = (personId: string) => state.views.get(personId) ?? emptyView(personId);
  const openOf = (personId: string) => {
    let open = state.open.get(personId);
    if (!open) state.open.set(personId, (open = new Map()));
    return open;
  };
  const save = (view: PersonView) => {
    state.views.set(view.personId, view);
    effects.views.set(view.personId, view);
  };
  const record = (decision: DecisionRecord) => {
    effects.decisions.push(decision);
    const view = viewOf(decision.personId);
    save({ ...view, outcomes: { ...view.outcomes, [decision.referralType]: decision.outcome } });
  };
  /** What every decision names: the person, the rule and its version, the legal basis, the event. */
  const about = (personId: string, event: CloudEvent, rule: RuleOfDecision) => ({
    personId,
    referralType: rule.referralType,
    ruleSetVersion: rule.ruleSetVersion,
    legalBasis: rule.legalBasis,
    eventId: event.id,
  });
  const ruleOf = (r: OpenReferral): RuleOfDecision => ({ ...r, referralType: r.type });
  const pointAt = (stationId: string | null) => servicePointFor(policy.referenceData, sector, stationId ?? undefined);

  const standing = (personId: string): HouseholdStanding => {
    const head = state.memberships.get(personId)?.headPersonId === personId;
    if (!head) return { head: false, memberUnder18: false };
    for (const [member, membership] of state.memberships) {
      const age = state.ages.get(member);
      if (member !== personId && membership.headPersonId === personId && age !== undefined && age < 18) {
        return { head, memberUnder18: true };
      }
    }
    return { head, memberUnder18: false };
  };

  const evaluate = (personId: string, event: CloudEvent) => {
    const view = viewOf(personId);
    const open = openOf(personId);
    const decisions = evaluateRules({ view, age: ageOf(view), household: standing(personId) }, policy.ruleSet);
    for (const d of decisions) {
      const existing = open.get(d.referralType);
      const decided = about(personId, event, d);
      if (d.outcome === 'deferred') {
        if (existing || viewOf(personId).outcomes[d.referralType] === 'deferred') continue;
        record({ ...decided, outcome: 'deferred', reason: 'consent-required', inputs: {}, referralId: null });
      } else if (!existing) {
        // Made once per outcome change: one a caseworker closed stays closed (lead's decision, issue 10).
        if (MADE.has(viewOf(personId).outcomes[d.referralType] ?? '')) continue;
        const stationId = view.station?.value ?? null;
        const referral = {
          id: newId(),
          type: d.referralType,
          priority: d.priority,
          status: 'requested' as const,
          servicePointId: pointAt(stationId),
          stationId,
          legalBasis: d.legalBasis,
          ruleSetVersion: d.ruleSetVersion,
        };
        open.set(d.referralType, referral);
        effects.changes.push({
          kind: 'requested',
          referral: { ...referral, personId, decisionInputs: d.inputs, sourceEventId: event.id },
        });
        record({ ...decided, outcome: 'referred', reason: null, inputs: d.inputs, referralId: referral.id });
      } else if (isHigherPriority(d.priority, existing.priority)) {
        const raised = { ...existing, priority: d.priority };
        open.set(d.referralType, raised);
        effects.changes.push({ kind: 'priority-raised', personId, referral: raised });
        record({ ...decided, outcome: 'priority-raised', reason: null, inputs: d.inputs, referralId: existing.id });
      }
    }
  };

  const cancelOpen = (personId: string, event: CloudEvent) => {
    const open = openOf(personId);
    for (const referral of open.values()) {
      const reason = 'person-departed';
      effects.changes.push({ kind: 'cancelled', personId, referral, reason });
      record({
        ...about(personId, event, ruleOf(referral)),
        outcome: 'cancelled',
        reason,
        inputs: {},
        referralId: referral.id,
      });
    }
    open.clear();
  };

  const moveOpen = (personId: string, event: CloudEvent) => {
    const stationId = viewOf(personId).station?.value ?? null;
    const servicePointId = pointAt(stationId);
    const reason = event.type === PERSON_REGISTERED ? 'station-recorded' : 'person-transferred';
    const open = openOf(personId);
    for (const referral of open.values()) {
      if (!MOVABLE.has(referral.status) || referral.servicePointId === servicePointId) continue;
      const moved = { ...referral, servicePointId, stationId };
      open.set(referral.type, moved);
      const from = { servicePointId: referral.servicePointId, stationId: referral.stationId };
      effects.changes.push({ kind: 'reassigned', personId, referral: moved, from, reason });
      record({ ...about(personId, event, ruleOf(moved)), outcome: 'moved', reason, inputs: {}, referralId: moved.id });
    }
  };

  for (const event of events) {
    const personId = event.subject;
    const before = viewOf(personId);
    const seq = placeOf(event, before.lastSeq);
    const { view, stationChanged, departedNow } = evolvePersonView(before, event, seq, policy.reads);
    save(view);
    const concerned = [personId];
    if (event.type === HOUSEHOLD_LINKED) {
      const { members } = event.data as HouseholdLinkedV1;
      for (const { personId: member } of members) {
        const current = state.memberships.get(member);
        if (current && current.seq > seq) continue;
        const membership = { headPersonId: personId, size: members.length, seq };
        state.memberships.set(member, membership);
        effects.memberships.set(member, membership);
      }
    } else if (event.type === PERSON_REGISTERED) {
      const age = ageOf(view);
      state.ages.set(personId, age);
      const head = state.memberships.get(personId)?.headPersonId;
      if (policy.reads.household && head && head !== personId && age !== undefined && age < 18) concerned.push(head);
    }
    if (departedNow) cancelOpen(personId, event);
    if (stationChanged) moveOpen(personId, event);
    for (const person of concerned) evaluate(person, event);
  }
  return effects;
}
