import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PERSON_ID_PATTERN, STATION_ID_PATTERN } from '@ruta/contracts';
import { IsReferralCursor } from './referral-cursor';
import { REFERRAL_STATUSES, type ReferralStatus } from '../../domain/referral';

export class ListReferralsRequest {
  @IsOptional()
  @Matches(PERSON_ID_PATTERN, { message: 'personId must be a pseudonymous person id' })
  personId?: string;

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
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'after must be a cursor returned by a previous page' })
  @IsReferralCursor()
  after?: string;
}
