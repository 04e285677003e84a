import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PERSON_ID_PATTERN, PRIORITIES, STATION_ID_PATTERN, type Priority } from '@ruta/contracts';
import { QueryFlag } from '../query-flag';
import { IsReferralCursor } from './referral-cursor';
import { REFERRAL_STATUSES, type ReferralStatus } from '../../domain/referral';

/** A referral type is a rule's name: lower-case words joined by "-". */
export const REFERRAL_TYPE_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export class ListReferralsRequest {
  @ApiPropertyOptional({
    description: 'a pseudonymous person id',
    pattern: PERSON_ID_PATTERN.source,
    example: 'p-7f3a9c2e41b8',
  })
  @IsOptional()
  @Matches(PERSON_ID_PATTERN, { message: 'personId must be a pseudonymous person id' })
  personId?: string;

  @ApiPropertyOptional({ pattern: REFERRAL_TYPE_PATTERN.source, example: 'medical-care' })
  @IsOptional()
  @Matches(REFERRAL_TYPE_PATTERN, { message: 'type must be a referral type such as medical-care' })
  type?: string;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({ pattern: STATION_ID_PATTERN.source, example: 'lajas-blancas' })
  @IsOptional()
  @Matches(STATION_ID_PATTERN, { message: 'stationId must be a station id such as lajas-blancas' })
  stationId?: string;

  @ApiPropertyOptional({ enum: REFERRAL_STATUSES })
  @IsOptional()
  @IsIn(REFERRAL_STATUSES)
  status?: ReferralStatus;

  @ApiPropertyOptional({ pattern: STATION_ID_PATTERN.source, example: 'health-lajas-blancas' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(STATION_ID_PATTERN, { message: 'servicePointId must be a service point id such as health-lajas-blancas' })
  servicePointId?: string;

  @QueryFlag('true: only referrals past an SLA deadline still running; false: only the others')
  overdue?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;

  @ApiPropertyOptional({ description: 'the `next` cursor of the previous page' })
  @IsOptional()
  @IsString()
  @IsReferralCursor()
  after?: string;
}
