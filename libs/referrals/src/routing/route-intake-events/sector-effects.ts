import type { LegalBasis, REASSIGNMENT_REASONS } from '@ruta/contracts';
import type { PersonView } from '@ruta/routing';
import type { Membership, OpenReferral } from './sector-state';

/** refused: an onward referral this sector cannot make; overridden: a supervisor overrode a deferral. */
export type DecisionOutcome =
  'referred' | 'deferred' | 'cancelled' | 'moved' | 'priority-raised' | 'refused' | 'overridden';
/** Why routing moved a referral: a transfer, or a registration that placed the person at a station. */
export type MoveReason = (typeof REASSIGNMENT_REASONS)[number];
/** Why an onward referral from another sector was refused, or made nothing new, or made a referral. */
export type OnwardReason = 'unknown-referral-type' | 'already-open' | 'referred-onward';
export type DecisionReason = 'consent-required' | 'person-departed' | MoveReason | OnwardReason;

/** One explained decision, recorded when a person's outcome for a rule changes. */
export interface DecisionRecord {
  personId: string;
  referralType: string;
  ruleSetVersion: string;
  outcome: DecisionOutcome;
  reason: DecisionReason | null;
  legalBasis: LegalBasis;
  /** The inputs the rule read; {} for a deferral, a cancellation or a move. */
  inputs: Record<string, unknown>;
  eventId: string;
  referralId: string | null;
}

export interface NewReferral extends OpenReferral {
  personId: string;
  decisionInputs: Record<string, unknown>;
  sourceEventId: string;
}

/** What happened to a referral, in order: each becomes a row change and an event on referrals.events.v1. */
export type ReferralChange =
  | { kind: 'requested'; referral: NewReferral }
  | { kind: 'priority-raised'; personId: string; referral: OpenReferral }
  | {
      kind: 'reassigned';
      personId: string;
      referral: OpenReferral;
      from: { servicePointId: string; stationId: string | null };
      reason: MoveReason;
    }
  | { kind: 'cancelled'; personId: string; referral: OpenReferral; reason: 'person-departed' };

/** Everything one batch changes in the sector's schema, computed in memory before one write. */
export interface SectorEffects {
  views: Map<string, PersonView>;
  memberships: Map<string, Membership>;
  changes: ReferralChange[];
  decisions: DecisionRecord[];
}
