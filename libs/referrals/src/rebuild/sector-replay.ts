import {
  DECISION_CONSENT_OVERRIDDEN,
  HOUSEHOLD_LINKED,
  INTAKE_EVENT_TYPES,
  PERSON_DEPARTED,
  REFERRAL_CANCELLED,
  REFERRAL_EVENT_CONTRACTS,
  REFERRAL_PRIORITY_RAISED,
  REFERRAL_REASSIGNED,
  REFERRAL_REFERRED_ONWARD,
  REFERRAL_REQUESTED,
  REFERRAL_SLA_BREACHED,
  type CloudEvent,
  type DecisionConsentOverriddenV1,
  type HouseholdLinkedV1,
  type LegalBasis,
  type Priority,
  type ReferralReferredOnwardV1,
  type Sector,
} from '@ruta/contracts';
import { ageOf, readsOf, type PersonView, type ReferenceData, type RuleSet } from '@ruta/routing';
import { evolve, requestedState, routingActor, type LifecycleEvent, type LifecycleState } from '../domain/lifecycle';
import { OPEN_STATUSES } from '../domain/referral';
import { decideOnwardBatch } from '../routing/route-onward-referrals/onward-decider';
import { decideSectorBatch, type SectorPolicy } from '../routing/route-intake-events/sector-decider';
import type { DecisionRecord, ReferralChange, SectorEffects } from '../routing/route-intake-events/sector-effects';
import {
  emptyState,
  type Membership,
  type OpenReferral,
  type SectorState,
} from '../routing/route-intake-events/sector-state';
import type { LoggedReferralIds } from './logged-referral-ids';
import { caseworkEventOf } from './wire-lifecycle';

/** What a rebuild replays a sector with: the sector's own rule set and reference data. */
export interface ReplayPolicy {
  sector: Sector;
  ruleSet: RuleSet;
  referenceData: ReferenceData;
}

/** A referral as the rebuild holds it: the lifecycle's state and the routed facts beside it. */
export interface RebuiltReferral extends LifecycleState {
  ruleSetVersion: string;
  decisionInputs: Record<string, unknown>;
  sourceEventId: string;
  cancellationReason: string | null;
}

/** A row of a referral's timeline: which version its event made, the event type, who and when. */
export interface RebuiltTimelineRow {
  referralId: string;
  version: number;
  type: string;
  /** ACTOR_NOT_ON_THE_WIRE where the published event names no actor. */
  actor: string;
  at: string;
}

export interface RebuiltDecision extends DecisionRecord {
  actor: string | null;
  at: string;
}

export interface RebuiltBreach {
  referralId: string;
  kind: string;
  dueAt: string;
}

/**
 * Intake events go through routing this many at a time: the outcome does not depend on it, the
 * decider's cost does (a head's standing reads every membership the batch loaded): 200 replayed
 * social development at 115,000 log entries/s, 1000 at 47,000 (npm run bench:replay, 200,000 events).
 */
const ROUTING_BATCH = 200;
const INTAKE_TYPES = new Set<string>(INTAKE_EVENT_TYPES);
const REFERRAL_TYPES = new Set<string>(REFERRAL_EVENT_CONTRACTS.map((c) => c.type));
const OPEN = new Set<string>(OPEN_STATUSES);
/** Events only routing makes: replaying routing made them already, their logged copies are not applied twice. */
const ROUTING_ONLY = new Set<string>([REFERRAL_PRIORITY_RAISED, REFERRAL_REASSIGNED]);

const uniq = <T>(values: Iterable<T>) => [...new Set(values)];

/**
 * A sector's projections rebuilt in memory from the audit log, in position order, with the
 * sector's own code: intake events through routing's pure decider (decideSectorBatch) on state
 * loaded as RouteIntakeEventsStore.load loads it, onward referrals addressed to the sector through
 * the onward decider, and casework's published events folded with the lifecycle's own evolve.
 * Routing's changes are applied as its store writes them; their logged copies (routing's
 * referral.requested, priority-raised, reassigned, cancelled) are then recognised and not applied
 * again. Ids: see LoggedReferralIds. Everything is held in memory (a few hundred bytes a person and
 * a referral) and written once at the end (see scratch-schema.ts).
 */
export class SectorReplay {
  readonly views = new Map<string, PersonView>();
  readonly memberships = new Map<string, Membership>();
  readonly referrals = new Map<string, RebuiltReferral>();
  readonly timeline: RebuiltTimelineRow[] = [];
  readonly decisions: RebuiltDecision[] = [];
  readonly breaches = new Map<string, RebuiltBreach>();
  /** Events applied (each logged event concerning the sector once). */
  applied = 0;
  /** Casework events on a referral the log never requested: nothing to apply them to. */
  orphans = 0;

  private readonly decider: SectorPolicy;
  private readonly routingSubject: string;
  private readonly membersOf = new Map<string, Set<string>>();
  /** The people and rules the replay deferred for want of consent. */
  private readonly deferred = new Set<string>();
  private readonly referralsOf = new Map<string, string[]>();
  private pendingIntake: CloudEvent[] = [];
  /** Routing's referral.requested that arrived before the intake event routing made it of. */
  private readonly heldRequests = new Map<string, CloudEvent>();
  /** Casework events on a referral not made yet, by referral: applied once it is. */
  private readonly waiting = new Map<string, CloudEvent[]>();
  /** Overrides of a deferral the replay has not recorded yet, by person and rule: applied once it has. */
  private readonly heldOverrides = new Map<string, CloudEvent<DecisionConsentOverriddenV1>[]>();

  /**
   * `departuresAhead`: how many person.departed events of each person the log holds; a departure
   * still ahead tells routing's cancellation (reason person-departed) from a caseworker's.
   */
  constructor(
    private readonly policy: ReplayPolicy,
    private readonly ids: LoggedReferralIds,
    private readonly departuresAhead: Map<string, number> = new Map(),
  ) {
    this.decider = { ruleSet: policy.ruleSet, reads: readsOf(policy.ruleSet), referenceData: policy.referenceData };
    this.routingSubject = routingActor(policy.sector).subject;
  }

  /** Applies logged events in their log order; intake events are held until a batch is full or another event comes. */
  apply(events: readonly CloudEvent[]): void {
    for (const event of events) {
      if (INTAKE_TYPES.has(event.type)) {
        this.pendingIntake.push(event);
        if (this.pendingIntake.length >= ROUTING_BATCH) this.flush();
        continue;
      }
      const data = event.data as { sector?: string; toSector?: string };
      if (event.type === REFERRAL_REFERRED_ONWARD && data.sector !== this.policy.sector) {
        if (data.toSector !== this.policy.sector) continue;
        this.flush();
        this.routeOnward(event as CloudEvent<ReferralReferredOnwardV1>);
      } else if (REFERRAL_TYPES.has(event.type) && data.sector === this.policy.sector) {
        this.flush();
        this.foldReferralEvent(event);
      } else continue;
      this.applied += 1;
    }
  }

  /**
   * After the last apply: routes the intake events still held, then makes the referrals the log
   * requested and replayed routing never made (from their events, so they still stand as the log
   * has them; their decisions are what differs), with the casework that waited for them.
   */
  finish(): void {
    this.flush();
    for (const events of this.heldOverrides.values()) for (const event of events) this.override(event);
    this.heldOverrides.clear();
    for (const event of this.heldRequests.values()) this.requestedFromLog(event);
    this.heldRequests.clear();
    for (const events of this.waiting.values()) this.orphans += events.length;
    this.waiting.clear();
  }

  /** Routes the intake events held so far. */
  private flush(): void {
    if (this.pendingIntake.length === 0) return;
    const batch = this.pendingIntake;
    this.pendingIntake = [];
    this.applied += batch.length;
    for (const e of batch) {
      if (e.type === PERSON_DEPARTED)
        this.departuresAhead.set(e.subject, (this.departuresAhead.get(e.subject) ?? 1) - 1);
    }
    const people = {
      subjects: uniq(batch.map((e) => e.subject)),
      linkMembers: batch.flatMap((e) =>
        e.type === HOUSEHOLD_LINKED ? (e.data as HouseholdLinkedV1).members.map((m) => m.personId) : [],
      ),
    };
    const state = this.load(people, this.decider.reads.household);
    const pending = new PendingIds();
    const effects = decideSectorBatch(this.decider, state, batch, pending.next);
    this.write(effects, pending, batch.at(-1)!.time ?? '');
  }

  /** RouteIntakeEventsStore.load, on the maps: the same people, views, open referrals, households and ages. */
  private load(people: { subjects: string[]; linkMembers: string[] }, householdRules: boolean): SectorState {
    const state = emptyState();
    const named = uniq([...people.subjects, ...people.linkMembers]);
    for (const person of householdRules ? named : people.linkMembers) {
      const membership = this.memberships.get(person);
      if (membership) state.memberships.set(person, { ...membership });
    }
    const heads = householdRules ? headsOf(state.memberships, people) : [];
    const everyone = uniq([...people.subjects, ...heads]);
    for (const person of everyone) {
      const view = this.views.get(person);
      if (view) state.views.set(person, view);
    }
    state.open = this.openOf(everyone);
    if (householdRules) {
      const inHouseholds = new Set(named);
      for (const head of heads) for (const member of this.membersOf.get(head) ?? []) inHouseholds.add(member);
      for (const person of inHouseholds) {
        const membership = this.memberships.get(person);
        if (membership && !state.memberships.has(person)) state.memberships.set(person, { ...membership });
        const view = this.views.get(person);
        state.ages.set(person, view ? ageOf(view) : undefined);
      }
    }
    return state;
  }

  private openOf(people: readonly string[]): Map<string, Map<string, OpenReferral>> {
    const open = new Map<string, Map<string, OpenReferral>>();
    for (const person of people) {
      for (const id of this.referralsOf.get(person) ?? []) {
        const r = this.referrals.get(id)!;
        if (!OPEN.has(r.status)) continue;
        const forPerson = open.get(person) ?? new Map<string, OpenReferral>();
        forPerson.set(r.type, {
          id: r.id,
          type: r.type,
          priority: r.priority,
          status: r.status,
          servicePointId: r.servicePointId,
          stationId: r.stationId,
          legalBasis: r.legalBasis,
          ruleSetVersion: r.ruleSetVersion,
        });
        open.set(person, forPerson);
      }
    }
    return open;
  }

  /** RouteIntakeEventsStore.write, on the maps; made referrals get their ids from the log first. */
  private write(effects: SectorEffects, pending: PendingIds, at: string): void {
    for (const [person, view] of effects.views) this.views.set(person, view);
    for (const [person, membership] of effects.memberships) {
      const before = this.memberships.get(person);
      if (before && before.seq > membership.seq) continue;
      if (before) this.membersOf.get(before.headPersonId)?.delete(person);
      this.memberships.set(person, membership);
      const members = this.membersOf.get(membership.headPersonId) ?? new Set<string>();
      members.add(person);
      this.membersOf.set(membership.headPersonId, members);
    }
    for (const change of effects.changes) {
      if (change.kind === 'requested') {
        const r = change.referral;
        pending.resolve(r.id, this.ids.take(r.personId, r.type));
      }
    }
    for (const change of effects.changes) this.applyRoutingChange(change, pending, at);
    const deferredNow: string[] = [];
    for (const decision of effects.decisions) {
      const referralId = decision.referralId === null ? null : pending.real(decision.referralId);
      this.decisions.push({ ...decision, referralId, actor: null, at });
      if (decision.outcome === 'deferred') deferredNow.push(`${decision.personId}\u0000${decision.referralType}`);
    }
    for (const key of deferredNow) {
      this.deferred.add(key);
      const held = this.heldOverrides.get(key);
      this.heldOverrides.delete(key);
      for (const event of held ?? []) this.override(event);
    }
  }

  private applyRoutingChange(change: ReferralChange, pending: PendingIds, at: string): void {
    const id = pending.real(change.referral.id);
    const actor = this.routingSubject;
    if (change.kind === 'requested') {
      const r = change.referral;
      this.create({
        id,
        personId: r.personId,
        type: r.type,
        priority: r.priority,
        servicePointId: r.servicePointId,
        stationId: r.stationId,
        legalBasis: r.legalBasis,
        ruleSetVersion: r.ruleSetVersion,
        decisionInputs: r.decisionInputs,
        sourceEventId: r.sourceEventId,
        at,
        actor,
      });
      return;
    }
    const happened = { referralId: id, actor, at };
    if (change.kind === 'priority-raised') {
      this.evolve({ ...happened, type: REFERRAL_PRIORITY_RAISED, priority: change.referral.priority });
    } else if (change.kind === 'reassigned') {
      const { servicePointId, stationId } = change.referral;
      this.evolve({ ...happened, type: REFERRAL_REASSIGNED, servicePointId, stationId });
    } else {
      this.evolve({ ...happened, type: REFERRAL_CANCELLED, reason: { code: change.reason, note: null } });
    }
  }

  /** RouteOnwardReferralsHandler: the onward decider on the person's view and open referrals. */
  private routeOnward(event: CloudEvent<ReferralReferredOnwardV1>): void {
    const state = this.load({ subjects: [event.data.personId], linkMembers: [] }, false);
    const pending = new PendingIds();
    const effects = decideOnwardBatch(this.decider, state, [{ eventId: event.id, data: event.data }], pending.next);
    this.write(effects, pending, event.time ?? '');
  }

  /** One of the sector's own referral events from the log. */
  private foldReferralEvent(event: CloudEvent): void {
    const data = event.data as { referralId?: string; kind?: string; dueAt?: string };
    if (event.type === DECISION_CONSENT_OVERRIDDEN) {
      return this.overrideOnceDeferred(event as CloudEvent<DecisionConsentOverriddenV1>);
    }
    if (event.type === REFERRAL_SLA_BREACHED) {
      const breach = { referralId: data.referralId!, kind: data.kind!, dueAt: data.dueAt! };
      this.breaches.set(`${breach.referralId}\u0000${breach.kind}`, breach);
      return;
    }
    if (event.type === REFERRAL_REQUESTED) {
      // The log keeps arrival order, and a referral event travels on another topic than the intake
      // event that caused it: routing's may arrive first. Held until replayed routing (or the held
      // override) makes it.
      if (this.ids.awaited(data.referralId!)) this.heldRequests.set(data.referralId!, event);
      else this.requestedFromLog(event);
      return;
    }
    if (ROUTING_ONLY.has(event.type)) return;
    const referral = this.referrals.get(data.referralId!);
    if (!referral) {
      const waiting = this.waiting.get(data.referralId!);
      if (waiting) waiting.push(event);
      else this.waiting.set(data.referralId!, [event]);
      return;
    }
    if (event.type === REFERRAL_CANCELLED && this.routingCancelled(referral, event)) return;
    const casework = caseworkEventOf(event);
    if (casework) this.evolve(casework);
  }

  /**
   * Routing's own cancellation, replayed at the person's departure: what is already cancelled, or a
   * person-departed cancellation while the person's departure is still ahead in the log.
   */
  private routingCancelled(referral: RebuiltReferral, event: CloudEvent): boolean {
    if (referral.status === 'cancelled') return true;
    const reason = (event.data as { reason?: string }).reason;
    return reason === 'person-departed' && (this.departuresAhead.get(referral.personId) ?? 0) > 0;
  }

  /**
   * A referral.requested routing's replay did not make (its id is unknown): made from the event, so
   * the referral still stands as the log has it and the decisions show where routing differed.
   */
  private requestedFromLog(event: CloudEvent): void {
    const data = event.data as {
      referralId: string;
      personId: string;
      referralType: string;
      priority: Priority;
      servicePointId: string;
      stationId?: string;
      legalBasis: LegalBasis;
      ruleSetVersion: string;
      requestedAt: string;
    };
    if (this.referrals.has(data.referralId)) return;
    this.heldRequests.delete(data.referralId);
    this.ids.claim(data.referralId);
    this.create({
      id: data.referralId,
      personId: data.personId,
      type: data.referralType,
      priority: data.priority,
      servicePointId: data.servicePointId,
      stationId: data.stationId ?? null,
      legalBasis: data.legalBasis,
      ruleSetVersion: data.ruleSetVersion,
      decisionInputs: {},
      sourceEventId: '',
      at: data.requestedAt,
      actor: this.routingSubject,
    });
  }

  /**
   * An override follows the deferral it overrides, but its event may reach the log before the intake
   * event routing deferred on: it waits until the replay recorded a deferral of that person and rule.
   */
  private overrideOnceDeferred(event: CloudEvent<DecisionConsentOverriddenV1>): void {
    const key = `${event.data.personId}\u0000${event.data.referralType}`;
    if (this.deferred.has(key)) return this.override(event);
    const held = this.heldOverrides.get(key);
    if (held) held.push(event);
    else this.heldOverrides.set(key, [event]);
  }

  /**
   * OverrideConsentHandler, from its decision.consent-overridden: the override decision, the view's
   * outcome, and the referral it made (priority from the rule, station from the view, as it did).
   */
  private override(event: CloudEvent<DecisionConsentOverriddenV1>): void {
    const d = event.data;
    const rule = this.policy.ruleSet.rules.find((r) => r.type === d.referralType);
    const view = this.views.get(d.personId);
    this.decisions.push({
      personId: d.personId,
      referralType: d.referralType,
      ruleSetVersion: this.policy.ruleSet.version,
      outcome: 'overridden',
      reason: d.reason as DecisionRecord['reason'],
      legalBasis: d.legalBasis,
      inputs: { overriddenDecisionId: d.decisionId },
      eventId: event.id,
      referralId: d.referralId,
      actor: d.actor,
      at: d.overriddenAt,
    });
    if (view) this.views.set(d.personId, { ...view, outcomes: { ...view.outcomes, [d.referralType]: 'referred' } });
    this.ids.claim(d.referralId);
    if (!rule || this.referrals.has(d.referralId)) return;
    this.create({
      id: d.referralId,
      personId: d.personId,
      type: d.referralType,
      priority: rule.priority,
      servicePointId: d.servicePointId,
      stationId: view?.station?.value ?? null,
      legalBasis: d.legalBasis,
      ruleSetVersion: this.policy.ruleSet.version,
      decisionInputs: {},
      sourceEventId: event.id,
      at: d.overriddenAt,
      actor: d.actor,
    });
  }

  private create(r: {
    id: string;
    personId: string;
    type: string;
    priority: Priority;
    servicePointId: string;
    stationId: string | null;
    legalBasis: LegalBasis;
    ruleSetVersion: string;
    decisionInputs: Record<string, unknown>;
    sourceEventId: string;
    at: string;
    actor: string;
  }): void {
    const state = requestedState({
      type: REFERRAL_REQUESTED,
      referralId: r.id,
      actor: r.actor,
      at: r.at,
      personId: r.personId,
      sector: this.policy.sector,
      referralType: r.type,
      priority: r.priority,
      servicePointId: r.servicePointId,
      stationId: r.stationId,
      legalBasis: r.legalBasis,
    });
    this.referrals.set(r.id, {
      ...state,
      ruleSetVersion: r.ruleSetVersion,
      decisionInputs: r.decisionInputs,
      sourceEventId: r.sourceEventId,
      cancellationReason: null,
    });
    const ofPerson = this.referralsOf.get(r.personId);
    if (ofPerson) ofPerson.push(r.id);
    else this.referralsOf.set(r.personId, [r.id]);
    this.timeline.push({ referralId: r.id, version: 1, type: REFERRAL_REQUESTED, actor: r.actor, at: r.at });
    this.heldRequests.delete(r.id);
    const waiting = this.waiting.get(r.id);
    this.waiting.delete(r.id);
    for (const event of waiting ?? []) this.foldReferralEvent(event);
  }

  /** The lifecycle's evolve on a referral the rebuild holds; an event on an unknown referral is dropped. */
  private evolve(event: Exclude<LifecycleEvent, { type: 'referral.requested' }>): void {
    const before = this.referrals.get(event.referralId);
    if (!before) return;
    const after = { ...before, ...evolve(before, event) };
    if (event.type === REFERRAL_CANCELLED) after.cancellationReason = event.reason.code;
    this.referrals.set(event.referralId, after);
    this.timeline.push({
      referralId: event.referralId,
      version: after.version,
      type: event.type,
      actor: event.actor,
      at: event.at,
    });
  }
}

/** Ids the decider makes stand in until the batch's made referrals got their logged ids. */
class PendingIds {
  private count = 0;
  private readonly resolved = new Map<string, string>();
  readonly next = () => `pending:${this.count++}`;

  resolve(pending: string, real: string): void {
    this.resolved.set(pending, real);
  }

  real(id: string): string {
    return this.resolved.get(id) ?? id;
  }
}

/** RouteIntakeEventsStore's heads: of the batch's links, and of the people it names. */
function headsOf(memberships: Map<string, Membership>, people: { subjects: string[]; linkMembers: string[] }) {
  const heads = new Set(people.linkMembers.length > 0 ? people.subjects : []);
  for (const m of memberships.values()) heads.add(m.headPersonId);
  return [...heads];
}
