import type { Referral } from '../referral';
import type { OutcomeCode, Reasoned, ReasonCode } from './reasons';

/**
 * A referral as the lifecycle sees it: what decide reads and evolve writes, rebuilt by fold.
 * personId is pseudonymous; an onward referral names it to the other sector.
 */
export interface LifecycleState extends Pick<
  Referral,
  'id' | 'personId' | 'sector' | 'type' | 'priority' | 'status' | 'servicePointId' | 'stationId' | 'legalBasis'
> {
  /** The caseworker's subject, or null while nobody holds it. */
  assignee: string | null;
  /** How many events made this state: the ETag the lead's If-Match compares. */
  version: number;
  requestedAt: string;
  /** When it was accepted or rejected: the acknowledge SLA stops here. */
  acknowledgedAt: string | null;
  acceptedAt: string | null;
  startedAt: string | null;
  /** When it reached a final status (completed, failed, rejected, cancelled). */
  closedAt: string | null;
  /** When it was completed or failed: the complete SLA stops here. */
  finishedAt: string | null;
  updatedAt: string;
  /** Why it is on hold; null once resumed. */
  hold: Reasoned<ReasonCode<'hold'>> | null;
  outcome: Reasoned<OutcomeCode> | null;
  /** Why it was rejected, cancelled or failed. */
  closeReason: Reasoned | null;
}
