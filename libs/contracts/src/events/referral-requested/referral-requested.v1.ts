import { IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { LEGAL_BASES, PRIORITIES, SECTORS, type LegalBasis, type Priority, type Sector } from '../../sectors';
import { IsPersonId, IsStationId, IsTimestamp } from '../common';
import { HasNoControlCharacters } from '../../envelope/cloud-event.envelope';

export const REFERRAL_REQUESTED = 'referral.requested';
export const REFERRAL_PRIORITY_RAISED = 'referral.priority-raised';

/** What every referral event says of the referral. No indicators travel here. */
export class ReferralFactsV1 {
  @IsUUID()
  @MaxLength(36)
  referralId: string;

  @IsPersonId()
  personId: string;

  @IsIn(SECTORS)
  sector: Sector;

  @IsString()
  @Length(1, 64)
  @HasNoControlCharacters()
  referralType: string;

  @IsIn(PRIORITIES)
  priority: Priority;

  @IsIn(LEGAL_BASES)
  legalBasis: LegalBasis;

  @IsString()
  @Length(1, 64)
  @HasNoControlCharacters()
  servicePointId: string;

  @IsOptional()
  @IsStationId()
  stationId?: string;

  @IsString()
  @Length(1, 32)
  @HasNoControlCharacters()
  ruleSetVersion: string;
}

/** A sector routed a referral (or raised the priority of its open one). */
export class ReferralRequestedV1 extends ReferralFactsV1 {
  @IsTimestamp()
  requestedAt: string;
}
