import { Query } from '@nestjs/cqrs';
import type { CaseworkScope } from '@ruta/auth';
import type { Priority } from '@ruta/contracts';
import type { Sla } from '../../domain/lifecycle/sla';
import type { Referral, ReferralStatus } from '../../domain/referral';

/**
 * A referral as every list shows it: why it was cancelled (null unless it was), when it last changed,
 * who holds it (null: unassigned) and its SLA deadlines, with the earliest one missed (null: none).
 */
export type ReferralListItem = Referral & {
  cancellationReason: string | null;
  updatedAt: string;
  assignee: string | null;
  sla: Sla;
};

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
  /** true: only referrals past a deadline still running; false: only those that are not. */
  overdue?: boolean;
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
