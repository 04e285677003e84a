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

/** Statuses a station change still moves: nobody has started working on the referral. */
const MOVABLE = new Set(['requested', 'accepted']);

/**
 * The pure sector decider: folds a batch of intake events into the people's views (by their
 * sequence), applies transfers and departures to open referrals, evaluates the rules for each
 * person an event concerns (a head too, when a member under 18 registers) and records a decision
 * only when an outcome changes. `state` is updated in place; ids come from `newId`.
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
  const record = (view: PersonView, decision: DecisionRecord) => {
    effects.decisions.push(decision);
    save({ ...view, outcomes: { ...view.outcomes, [decision.referralType]: decision.outcome } });
  };
  const explained = (r: OpenReferral, personId: string, eventId: string) => ({
    personId,
    referralType: r.type,
    ruleSetVersion: r.ruleSetVersion,
    legalBasis: r.legalBasis,
    inputs: {},
    eventId,
    referralId: r.id,
  });

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
    let view = viewOf(personId);
    const open = openOf(personId);
    const decisions = evaluateRules({ view, age: ageOf(view), household: standing(personId) }, policy.ruleSet);
    for (const d of decisions) {
      const existing = open.get(d.referralType);
      const base = {
        personId,
        referralType: d.referralType,
        ruleSetVersion: d.ruleSetVersion,
        legalBasis: d.legalBasis,
      };
      if (d.outcome === 'deferred') {
        if (existing || view.outcomes[d.referralType] === 'deferred') continue;
        record(view, {
          ...base,
          outcome: 'deferred',
          reason: 'consent-required',
          inputs: {},
          eventId: event.id,
          referralId: null,
        });
      } else if (!existing) {
        const stationId = view.station?.value ?? null;
        const referral = {
          id: newId(),
          type: d.referralType,
          priority: d.priority,
          status: 'requested' as const,
          servicePointId: servicePointFor(policy.referenceData, sector, stationId ?? undefined),
          stationId,
          legalBasis: d.legalBasis,
          ruleSetVersion: d.ruleSetVersion,
        };
        open.set(d.referralType, referral);
        effects.changes.push({
          kind: 'requested',
          referral: { ...referral, personId, decisionInputs: d.inputs, sourceEventId: event.id },
        });
        record(view, {
          ...base,
          outcome: 'referred',
          reason: null,
          inputs: d.inputs,
          eventId: event.id,
          referralId: referral.id,
        });
      } else if (isHigherPriority(d.priority, existing.priority)) {
        const raised = { ...existing, priority: d.priority };
        open.set(d.referralType, raised);
        effects.changes.push({ kind: 'priority-raised', personId, referral: raised });
        record(view, {
          ...base,
          outcome: 'priority-raised',
          reason: null,
          inputs: d.inputs,
          eventId: event.id,
          referralId: existing.id,
        });
      } else continue;
      view = viewOf(personId);
    }
  };

  const cancelOpen = (personId: string, event: CloudEvent) => {
    const open = openOf(personId);
    for (const referral of open.values()) {
      effects.changes.push({ kind: 'cancelled', personId, referral, reason: 'person-departed' });
      record(viewOf(personId), {
        ...explained(referral, personId, event.id),
        outcome: 'cancelled',
        reason: 'person-departed',
      });
    }
    open.clear();
  };

  const moveOpen = (personId: string, event: CloudEvent) => {
    const view = viewOf(personId);
    const stationId = view.station?.value ?? null;
    const servicePointId = servicePointFor(policy.referenceData, sector, stationId ?? undefined);
    const open = openOf(personId);
    for (const referral of open.values()) {
      if (!MOVABLE.has(referral.status) || referral.servicePointId === servicePointId) continue;
      const moved = { ...referral, servicePointId, stationId };
      open.set(referral.type, moved);
      const from = { servicePointId: referral.servicePointId, stationId: referral.stationId };
      effects.changes.push({ kind: 'reassigned', personId, referral: moved, from });
      record(viewOf(personId), {
        ...explained(moved, personId, event.id),
        outcome: 'moved',
        reason: event.type === PERSON_REGISTERED ? 'station-recorded' : 'person-transferred',
      });
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
