import { IsIn } from 'class-validator';
import { LEGAL_BASES, SECTORS, type LegalBasis, type Sector } from '../../sectors';
import { IsLifecycleCode, IsReferenceName, IsTimestamp } from '../common';
import { ReferralFactsV1 } from '../referral-requested/referral-requested.v1';

export const REFERRAL_REFERRED_ONWARD = 'referral.referred-onward';

/**
 * A caseworker of `sector` referred the person onward to `toSector`, which routes it as a new
 * referral of `onwardReferralType` on `onwardLegalBasis`. The facts are the source referral's. The
 * contract is sector-agnostic: it checks the shape, the receiving sector checks the type is one of its own.
 */
export class ReferralReferredOnwardV1 extends ReferralFactsV1 {
  @IsIn(SECTORS)
  toSector: Sector;

  @IsReferenceName()
  onwardReferralType: string;

  @IsIn(LEGAL_BASES)
  onwardLegalBasis: LegalBasis;

  /** A reason code such as protection-concern: never free text, which could carry personal data. */
  @IsLifecycleCode('reason', 'protection-concern')
  reason: string;

  @IsTimestamp()
  referredAt: string;
}
