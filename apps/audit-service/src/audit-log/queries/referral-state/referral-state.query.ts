import { Query } from '@nestjs/cqrs';
import type { SlaKindV1 } from '@ruta/contracts';
import type { LifecycleState } from '@ruta/referrals';

/**
 * A referral as its logged events made it by an instant: the lifecycle's state with codes, not
 * notes (which never travel), and not its ETag version or write time, which are the sector's own.
 */
export type ReferralStateAnswer = Omit<
  LifecycleState,
  'id' | 'version' | 'updatedAt' | 'hold' | 'outcome' | 'closeReason'
> & {
  referralId: string;
  asOf: string;
  hold: string | null;
  outcome: string | null;
  closeReason: string | null;
  /** The SLA deadlines it had missed by then (referral.sla-breached). */
  slaBreaches: SlaKindV1[];
  /** How many logged events were folded, and the position of the last: the answer is reproducible from them. */
  events: number;
  lastPosition: string;
};

/** The referral's state as of `asOf` (event time), or null when the log holds no request of it by then. */
export class ReferralStateQuery extends Query<ReferralStateAnswer | null> {
  constructor(
    readonly referralId: string,
    readonly asOf: Date,
  ) {
    super();
  }
}
