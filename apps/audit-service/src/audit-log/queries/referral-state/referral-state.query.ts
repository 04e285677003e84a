import { Query } from '@nestjs/cqrs';
import type { LegalBasis, Priority, Sector, SlaKindV1 } from '@ruta/contracts';
import type { ReferralStatus } from '@ruta/referrals';

/** A referral as its logged events made it by an instant: the lifecycle's state, codes without notes. */
export interface ReferralStateAnswer {
  referralId: string;
  asOf: string;
  personId: string;
  sector: Sector;
  type: string;
  priority: Priority;
  status: ReferralStatus;
  servicePointId: string;
  stationId: string | null;
  legalBasis: LegalBasis;
  assignee: string | null;
  hold: string | null;
  outcome: string | null;
  closeReason: string | null;
  requestedAt: string;
  acknowledgedAt: string | null;
  acceptedAt: string | null;
  startedAt: string | null;
  closedAt: string | null;
  finishedAt: string | null;
  /** The SLA deadlines it had missed by then (referral.sla-breached). */
  slaBreaches: SlaKindV1[];
  /** How many logged events were folded, and the position of the last: the answer is reproducible from them. */
  events: number;
  lastPosition: string;
}

/** The referral's state as of `asOf` (event time), or null when the log holds no request of it by then. */
export class ReferralStateQuery extends Query<ReferralStateAnswer | null> {
  constructor(
    readonly referralId: string,
    readonly asOf: Date,
  ) {
    super();
  }
}
