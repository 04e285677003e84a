import { CASEWORK_PAGE_DEFAULT, PageAfter, PageLimit } from '../page-limit';
import { ServicePointParam } from '../service-point-param';
import { IsOverdueCursor } from './overdue-cursor';

export class ListOverdueReferralsRequest {
  @ServicePointParam('only this service point of the sector (default: all of them)')
  servicePointId?: string;

  @PageLimit()
  limit: number = CASEWORK_PAGE_DEFAULT;

  @PageAfter(IsOverdueCursor)
  after?: string;
}
