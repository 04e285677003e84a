import { Query } from '@nestjs/cqrs';
import type { ReferralStatus } from '../../domain/referral';
import type { ListScope } from '../casework-scope';
import type { ReferralPage } from '../list-referrals/list-referrals.query';

/** The referrals a caseworker holds (assignee = their subject), oldest first; open ones unless `status` says. */
export class ListMyReferralsQuery extends Query<ReferralPage> {
  constructor(
    readonly assignee: string,
    readonly scope: ListScope,
    readonly status: ReferralStatus | undefined,
    readonly limit: number,
    readonly after?: string,
  ) {
    super();
  }
}
