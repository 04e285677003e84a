import { IsOptional } from 'class-validator';
import { IsLifecycleCode, IsReferenceName, IsStationId, IsSubject, IsTimestamp } from '../common';
import { ReferralFactsV1 } from '../referral-requested/referral-requested.v1';

/**
 * What caseworkers and supervisors do to a referral (issue 10), published by its sector on
 * referrals.events.v1. Each names who did it by subject only, and why by code only: the free-text
 * note a caseworker may add can carry personal data, so it stays in the sector's own timeline.
 */
export const REFERRAL_ACCEPTED = 'referral.accepted';
export const REFERRAL_REJECTED = 'referral.rejected';
export const REFERRAL_STARTED = 'referral.started';
export const REFERRAL_PUT_ON_HOLD = 'referral.put-on-hold';
export const REFERRAL_RESUMED = 'referral.resumed';
export const REFERRAL_COMPLETED = 'referral.completed';
export const REFERRAL_FAILED = 'referral.failed';
export const REFERRAL_ASSIGNED = 'referral.assigned';
export const REFERRAL_TRANSFERRED = 'referral.transferred';

const EXAMPLES = { reason: 'not-eligible', outcome: 'service-provided' } as const;
const IsCode = (what: 'reason' | 'outcome') => IsLifecycleCode(what, EXAMPLES[what]);

/** The referral's facts as they are after the change, and who made it (the token's subject). */
export class ReferralActedOnV1 extends ReferralFactsV1 {
  @IsSubject()
  actor: string;
}

/** Accepted (acknowledged); a caseworker accepting a referral nobody holds becomes its assignee. */
export class ReferralAcceptedV1 extends ReferralActedOnV1 {
  @IsOptional()
  @IsSubject()
  assignee?: string;

  @IsTimestamp()
  acceptedAt: string;
}

export class ReferralRejectedV1 extends ReferralActedOnV1 {
  @IsCode('reason')
  reason: string;

  @IsTimestamp()
  rejectedAt: string;
}

export class ReferralStartedV1 extends ReferralActedOnV1 {
  @IsTimestamp()
  startedAt: string;
}

export class ReferralPutOnHoldV1 extends ReferralActedOnV1 {
  @IsCode('reason')
  reason: string;

  @IsTimestamp()
  heldAt: string;
}

export class ReferralResumedV1 extends ReferralActedOnV1 {
  @IsTimestamp()
  resumedAt: string;
}

export class ReferralCompletedV1 extends ReferralActedOnV1 {
  @IsCode('outcome')
  outcome: string;

  @IsTimestamp()
  completedAt: string;
}

export class ReferralFailedV1 extends ReferralActedOnV1 {
  @IsCode('reason')
  reason: string;

  @IsTimestamp()
  failedAt: string;
}

/** A supervisor gave the referral to a caseworker (assign), or to another one (reassign). */
export class ReferralAssignedV1 extends ReferralActedOnV1 {
  @IsSubject()
  assignee: string;

  @IsOptional()
  @IsSubject()
  previousAssignee?: string;

  @IsTimestamp()
  assignedAt: string;
}

/** Moved to another service point of the same sector; nobody holds it there yet. */
export class ReferralTransferredV1 extends ReferralActedOnV1 {
  @IsReferenceName()
  fromServicePointId: string;

  @IsOptional()
  @IsStationId()
  fromStationId?: string;

  @IsTimestamp()
  transferredAt: string;
}
