import { HOUSEHOLD_LINKED, type CloudEvent, type HouseholdLinkedV1 } from '@ruta/contracts';
import { ageOf, readsOf, type PersonView, type ReferenceData, type RuleSet } from '@ruta/routing';
import { decideSectorBatch, type SectorPolicy } from '../route-intake-events/sector-decider';
import type { DecisionRecord, SectorEffects } from '../route-intake-events/sector-effects';
import { emptyState, type Membership, type OpenReferral, type SectorState } from '../route-intake-events/sector-state';

const unique = (ids: string[]) => [...new Set(ids)];

/**
 * One sector routing the history with one rule set, in memory: the sector's own decider over what
 * its store would hold. Each batch gets the state RouteIntakeEventsStore.load would give it (the
 * subjects' views and open referrals, the households in play, the members' ages) and what the
 * decider changed is kept for the next batch, so the replay decides as the live sector does. Only
 * intake events are replayed: casework, onward referrals and consent overrides are not, so a
 * referral stays open until a departure cancels it, on both sides of a comparison alike.
 */
export class ReplayedSector {
  readonly ruleSet: RuleSet;
  private readonly policy: SectorPolicy;
  private readonly views = new Map<string, PersonView>();
  private readonly open = new Map<string, Map<string, OpenReferral>>();
  private readonly memberships = new Map<string, Membership>();
  /** Each head's members, by their latest link: what the store finds by head_person_id. */
  private readonly members = new Map<string, Set<string>>();
  private readonly ages = new Map<string, number | undefined>();
  private referrals = 0;

  constructor(ruleSet: RuleSet, referenceData: ReferenceData) {
    this.ruleSet = ruleSet;
    this.policy = { ruleSet, reads: readsOf(ruleSet), referenceData };
  }

  /** Routes one batch of intake events (in log order) and answers the decisions it recorded. */
  route(events: readonly CloudEvent[]): DecisionRecord[] {
    const state = this.load(events);
    const effects = decideSectorBatch(this.policy, state, events, () => `replayed-${++this.referrals}`);
    this.keep(state, effects);
    return effects.decisions;
  }

  /** What the store loads for a batch (RouteIntakeEventsStore.load), from memory. */
  private load(events: readonly CloudEvent[]): SectorState {
    const subjects = unique(events.map((e) => e.subject));
    const linkMembers = events.flatMap((e) =>
      e.type === HOUSEHOLD_LINKED ? (e.data as HouseholdLinkedV1).members.map((m) => m.personId) : [],
    );
    const named = unique([...subjects, ...linkMembers]);
    const householdRules = this.policy.reads.household;
    const state = emptyState();
    for (const person of householdRules ? named : linkMembers) {
      const membership = this.memberships.get(person);
      if (membership) state.memberships.set(person, membership);
    }
    const heads = new Set(householdRules && linkMembers.length > 0 ? subjects : []);
    if (householdRules) for (const m of state.memberships.values()) heads.add(m.headPersonId);
    for (const person of unique([...subjects, ...heads])) {
      const view = this.views.get(person);
      if (view) state.views.set(person, view);
      const open = this.open.get(person);
      if (open) state.open.set(person, open);
    }
    if (householdRules) {
      for (const head of heads) {
        for (const member of this.members.get(head) ?? []) {
          if (!state.memberships.has(member)) state.memberships.set(member, this.memberships.get(member)!);
          state.ages.set(member, this.ages.get(member));
        }
      }
      for (const person of named) state.ages.set(person, this.ages.get(person));
    }
    return state;
  }

  /** What the store writes after a batch: views (and the ages they hold), memberships, open referrals. */
  private keep(state: SectorState, effects: SectorEffects): void {
    for (const [person, view] of effects.views) {
      this.views.set(person, view);
      this.ages.set(person, ageOf(view));
    }
    for (const [member, membership] of effects.memberships) {
      const before = this.memberships.get(member);
      if (before && before.seq > membership.seq) continue;
      if (before) this.members.get(before.headPersonId)?.delete(member);
      this.memberships.set(member, membership);
      const members = this.members.get(membership.headPersonId) ?? new Set<string>();
      this.members.set(membership.headPersonId, members.add(member));
    }
    // The decider changed the open referrals in place; a person it met for the first time has a new map.
    for (const [person, open] of state.open) this.open.set(person, open);
  }
}
