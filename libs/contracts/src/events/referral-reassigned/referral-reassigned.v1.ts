import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { HasNoControlCharacters } from '../../envelope/cloud-event.envelope';
import { IsStationId, IsTimestamp } from '../common';
import { ReferralFactsV1 } from '../referral-requested/referral-requested.v1';

export const REFERRAL_REASSIGNED = 'referral.reassigned';
/** Why routing moved a referral: a transfer, or a registration that placed the person at a station. */
export const REASSIGNMENT_REASONS = ['person-transferred', 'station-recorded'] as const;

/** Routing moved an open referral nobody had started to the service point at the person's new station. */
export class ReferralReassignedV1 extends ReferralFactsV1 {
  @IsString()
  @Length(1, 64)
  @HasNoControlCharacters()
  fromServicePointId: string;

  @IsOptional()
  @IsStationId()
  fromStationId?: string;

  @IsIn(REASSIGNMENT_REASONS)
  reason: (typeof REASSIGNMENT_REASONS)[number];

  @IsTimestamp()
  reassignedAt: string;
}
