import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { REFERRAL_STATUSES, type ReferralStatus } from '../../domain/referral';
import { IsReferralCursor } from '../list-referrals/referral-cursor';
import { CASEWORK_PAGE_DEFAULT, PageAfter, PageLimit } from '../page-limit';

export class ListMyReferralsRequest {
  @ApiPropertyOptional({ enum: REFERRAL_STATUSES, description: 'one status (default: every open one)' })
  @IsOptional()
  @IsIn(REFERRAL_STATUSES)
  status?: ReferralStatus;

  @PageLimit()
  limit: number = CASEWORK_PAGE_DEFAULT;

  @PageAfter(IsReferralCursor)
  after?: string;
}
