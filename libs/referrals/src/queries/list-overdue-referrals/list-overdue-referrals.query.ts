import { Query } from '@nestjs/cqrs';
import type { ListScope } from '../casework-scope';
import type { ReferralPage } from '../list-referrals/list-referrals.query';

/** Referrals past an SLA deadline still running, the longest overdue first (its earliest missed deadline). */
export class ListOverdueReferralsQuery extends Query<ReferralPage> {
  constructor(
    readonly scope: ListScope,
    readonly limit: number,
    readonly after?: string,
  ) {
    super();
  }
}
