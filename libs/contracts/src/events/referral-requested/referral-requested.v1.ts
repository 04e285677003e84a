import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { LEGAL_BASES, PRIORITIES, SECTORS, type LegalBasis, type Priority, type Sector } from '../../sectors';
import { IsPersonId, IsStationId, IsTimestamp } from '../common';
import { NO_CONTROL_CHARACTERS } from '../../envelope/cloud-event.envelope';

export const REFERRAL_REQUESTED = 'referral.requested';
export const REFERRAL_PRIORITY_RAISED = 'referral.priority-raised';

/** A sector routed a referral (or raised the priority of its open one). No indicators travel here. */
export class ReferralRequestedV1 {
  @IsUUID()
  @MaxLength(36)
  referralId: string;

  @IsPersonId()
  personId: string;

  @IsIn(SECTORS)
  sector: Sector;

  @IsString()
  @Length(1, 64)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'referralType must not contain control characters' })
  referralType: string;

  @IsIn(PRIORITIES)
  priority: Priority;

  @IsIn(LEGAL_BASES)
  legalBasis: LegalBasis;

  @IsString()
  @Length(1, 64)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'servicePointId must not contain control characters' })
  servicePointId: string;

  @IsOptional()
  @IsStationId()
  stationId?: string;

  @IsString()
  @Length(1, 32)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'ruleSetVersion must not contain control characters' })
  ruleSetVersion: string;

  @IsTimestamp()
  requestedAt: string;
}
