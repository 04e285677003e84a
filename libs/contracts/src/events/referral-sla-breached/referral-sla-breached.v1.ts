import { IsIn } from 'class-validator';
import { IsTimestamp } from '../common';
import { ReferralFactsV1 } from '../referral-requested/referral-requested.v1';

export const REFERRAL_SLA_BREACHED = 'referral.sla-breached';

/** The deadlines of PRODUCT.md "SLA by priority": acknowledge (accept or reject) and complete (complete or fail). */
export const SLA_KINDS = ['acknowledge', 'complete'] as const;
export type SlaKindV1 = (typeof SLA_KINDS)[number];

/** A referral missed one of its SLA deadlines; raised once per referral and kind, by whichever replica saw it first. */
export class ReferralSlaBreachedV1 extends ReferralFactsV1 {
  @IsIn(SLA_KINDS)
  kind: SlaKindV1;

  /** When the deadline passed: created_at plus the SLA of the priority the referral had when it was found. */
  @IsTimestamp()
  dueAt: string;

  /** When the scheduler found the breach (at or after dueAt). */
  @IsTimestamp()
  breachedAt: string;
}
