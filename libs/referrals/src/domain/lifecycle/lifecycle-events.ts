import type { LegalBasis, Priority, Sector } from '@ruta/contracts';
import type { OutcomeCode, Reasoned, ReasonCode } from './reasons';

/** What every lifecycle event carries: which referral, who (subject only) and when (the clock). */
export interface Happened {
  referralId: string;
  actor: string;
  at: string;
}

/** Routing's own events on a referral, so fold rebuilds a state from the whole stream. */
export type RoutingEvent =
  | (Happened & {
      type: 'referral.requested';
      personId: string;
      sector: Sector;
      referralType: string;
      priority: Priority;
      servicePointId: string;
      stationId: string | null;
      legalBasis: LegalBasis;
    })
  | (Happened & { type: 'referral.priority-raised'; priority: Priority })
  | (Happened & { type: 'referral.reassigned'; servicePointId: string; stationId: string | null });

/** Events decide emits: each a fact with actor, time and reason where it has one. */
export type CaseworkEvent =
  | (Happened & { type: 'referral.accepted'; assignee: string | null })
  | (Happened & { type: 'referral.rejected'; reason: Reasoned<ReasonCode<'reject'>> })
  | (Happened & { type: 'referral.cancelled'; reason: Reasoned<ReasonCode<'cancel'>> })
  | (Happened & { type: 'referral.started' })
  | (Happened & { type: 'referral.put-on-hold'; reason: Reasoned<ReasonCode<'hold'>> })
  | (Happened & { type: 'referral.resumed' })
  | (Happened & { type: 'referral.completed'; outcome: Reasoned<OutcomeCode> })
  | (Happened & { type: 'referral.failed'; reason: Reasoned<ReasonCode<'fail'>> })
  | (Happened & { type: 'referral.assigned'; assignee: string; previousAssignee: string | null })
  | (Happened & {
      type: 'referral.transferred';
      fromServicePointId: string;
      servicePointId: string;
      stationId: string | null;
    })
  | (Happened & {
      type: 'referral.referred-onward';
      personId: string;
      fromSector: Sector;
      toSector: Sector;
      /** The type the other sector is asked to make, one of its rule set's types. */
      onwardReferralType: string;
      legalBasis: LegalBasis;
      reason: Reasoned<ReasonCode<'refer-onward'>>;
    });

export type LifecycleEvent = RoutingEvent | CaseworkEvent;
export type LifecycleEventType = LifecycleEvent['type'];
