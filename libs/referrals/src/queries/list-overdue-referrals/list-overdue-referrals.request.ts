import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { CASEWORK_PAGE_DEFAULT, PageLimit } from '../page-limit';
import { ServicePointParam } from '../service-point-param';
import { IsOverdueCursor } from './overdue-cursor';

export class ListOverdueReferralsRequest {
  @ServicePointParam('only this service point of the sector (default: all of them)')
  servicePointId?: string;

  @PageLimit()
  limit: number = CASEWORK_PAGE_DEFAULT;

  @ApiPropertyOptional({ description: 'the `nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @IsOverdueCursor()
  after?: string;
}
