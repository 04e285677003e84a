import { Query } from '@nestjs/cqrs';
import type { CaseworkScope } from '@ruta/auth';
import type { Priority } from '@ruta/contracts';
import type { Referral, ReferralStatus } from '../../domain/referral';

/** A referral as the list shows it: why it was cancelled (null unless it was) and when it last changed. */
export type ReferralListItem = Referral & { cancellationReason: string | null; updatedAt: string };

export interface ReferralPage {
  items: ReferralListItem[];
  /** Pass as `after` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** The list's filters, each optional; given ones must all match. */
export interface ReferralFilter {
  personId?: string;
  type?: string;
  priority?: Priority;
  stationId?: string;
  status?: ReferralStatus;
  servicePointId?: string;
}

export class ListReferralsQuery extends Query<ReferralPage> {
  constructor(
    readonly filter: ReferralFilter,
    readonly limit: number,
    readonly after?: string,
    /** What the caller may see (caseworkScope): applied in SQL beside the filter; none: every referral. */
    readonly scope?: CaseworkScope,
  ) {
    super();
  }
}
