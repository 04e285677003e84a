import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { OPEN_STATUSES, type ReferralStatus } from '../../domain/referral';
import { REFERRAL_TYPE_PATTERN } from '../list-referrals/list-referrals.request';
import { CASEWORK_PAGE_DEFAULT, PageAfter, PageLimit } from '../page-limit';
import { QueryFlag } from '../query-flag';
import { ServicePointParam } from '../service-point-param';
import { IsQueueCursor } from './queue-cursor';

export class ListQueueRequest {
  @ServicePointParam(
    "a supervisor's choice of one service point (default: all of the sector); a caseworker's is theirs",
  )
  servicePointId?: string;

  @ApiPropertyOptional({ enum: OPEN_STATUSES })
  @IsOptional()
  @IsIn(OPEN_STATUSES, { message: `status must be an open status: ${OPEN_STATUSES.join(', ')}` })
  status?: ReferralStatus;

  @ApiPropertyOptional({ pattern: REFERRAL_TYPE_PATTERN.source, example: 'medical-care' })
  @IsOptional()
  @Matches(REFERRAL_TYPE_PATTERN, { message: 'type must be a referral type such as medical-care' })
  type?: string;

  @QueryFlag('true: only referrals nobody holds yet; false: only held ones')
  unassigned?: boolean;

  @QueryFlag('true: only referrals past an SLA deadline still running; false: only the others')
  overdue?: boolean;

  @PageLimit()
  limit: number = CASEWORK_PAGE_DEFAULT;

  @PageAfter(IsQueueCursor)
  after?: string;
}
