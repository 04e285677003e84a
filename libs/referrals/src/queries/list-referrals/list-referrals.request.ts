import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PERSON_ID_PATTERN, PRIORITIES, STATION_ID_PATTERN, type Priority } from '@ruta/contracts';
import { IsReferralCursor } from './referral-cursor';
import { REFERRAL_STATUSES, type ReferralStatus } from '../../domain/referral';

/** A referral type is a rule's name: lower-case words joined by "-". */
export const REFERRAL_TYPE_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export class ListReferralsRequest {
  @IsOptional()
  @Matches(PERSON_ID_PATTERN, { message: 'personId must be a pseudonymous person id' })
  personId?: string;

  @IsOptional()
  @Matches(REFERRAL_TYPE_PATTERN, { message: 'type must be a referral type such as medical-care' })
  type?: string;

  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @IsOptional()
  @Matches(STATION_ID_PATTERN, { message: 'stationId must be a station id such as lajas-blancas' })
  stationId?: string;

  @IsOptional()
  @IsIn(REFERRAL_STATUSES)
  status?: ReferralStatus;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(STATION_ID_PATTERN, { message: 'servicePointId must be a service point id such as health-lajas-blancas' })
  servicePointId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;

  @IsOptional()
  @IsString()
  @IsReferralCursor()
  after?: string;
}
