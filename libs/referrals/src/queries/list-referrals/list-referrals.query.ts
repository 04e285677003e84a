import { Query } from '@nestjs/cqrs';
import type { Referral, ReferralStatus } from '../../domain/referral';

export interface ReferralPage {
  items: Referral[];
  /** Pass as `after` for the next page; absent on the last page. */
  nextCursor?: string;
}

export class ListReferralsQuery extends Query<ReferralPage> {
  constructor(
    readonly filter: { personId?: string; status?: ReferralStatus; servicePointId?: string },
    readonly limit: number,
    readonly after?: string,
  ) {
    super();
  }
}
