import { IsString, Length, Matches } from 'class-validator';
import { IsTimestamp } from '../common';
import { ReferralFactsV1 } from '../referral-requested/referral-requested.v1';

export const REFERRAL_CANCELLED = 'referral.cancelled';

/** An open referral was cancelled; routing cancels with reason person-departed. */
export class ReferralCancelledV1 extends ReferralFactsV1 {
  /** A reason code such as person-departed: never free text, which could carry personal data. */
  @IsString()
  @Length(1, 64)
  @Matches(/^[a-z][a-z0-9-]*$/, { message: 'reason must be a reason code such as person-departed' })
  reason: string;

  @IsTimestamp()
  cancelledAt: string;
}
