import { Query } from '@nestjs/cqrs';
import type { ReferralStatus } from '../../domain/referral';
import type { ListScope } from '../casework-scope';
import type { ReferralPage } from '../list-referrals/list-referrals.query';

/** The queue's filters, each optional; given ones must all match. */
export interface QueueFilter {
  /** One of the open statuses (the queue holds nothing else). */
  status?: ReferralStatus;
  type?: string;
  /** true: only referrals nobody holds yet. */
  unassigned?: boolean;
  /** true: only referrals past an SLA deadline still running; false: only the others. */
  overdue?: boolean;
}

/** Open referrals of a service point (or of the whole sector), by priority then age, oldest first. */
export class ListQueueQuery extends Query<ReferralPage> {
  constructor(
    readonly scope: ListScope,
    readonly filter: QueueFilter,
    readonly limit: number,
    readonly after?: string,
  ) {
    super();
  }
}
