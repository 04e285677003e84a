import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional } from 'class-validator';
import { SECTORS, type Sector } from '../../sectors';
import { IsPersonId, IsTimestamp } from '../common';

export const CONSENT_RECORDED = 'consent.recorded';
export const INFORMATION_SHARING = ['granted', 'declined'] as const;

/** The person's (or guardian's) decision on sharing information with sectors; the latest wins. */
export class ConsentRecordedV1 {
  @IsPersonId()
  personId: string;

  @IsIn(INFORMATION_SHARING)
  informationSharing: (typeof INFORMATION_SHARING)[number];

  @IsArray()
  @ArrayMaxSize(SECTORS.length)
  @ArrayUnique()
  @IsIn(SECTORS, { each: true })
  sectors: Sector[];

  @IsTimestamp()
  recordedAt: string;

  @IsOptional()
  @IsPersonId()
  guardianPersonId?: string;
}
