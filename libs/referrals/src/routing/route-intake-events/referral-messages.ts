import {
  REFERRAL_CANCELLED,
  REFERRAL_PRIORITY_RAISED,
  REFERRAL_REASSIGNED,
  REFERRAL_REQUESTED,
  type Sector,
} from '@ruta/contracts';
import type { OutgoingMessage } from '@ruta/messaging';
import { factsOf, referralEventMessage } from '../../messages/referral-event-message';
import type { ReferralChange } from './sector-effects';

const TYPES = {
  requested: REFERRAL_REQUESTED,
  'priority-raised': REFERRAL_PRIORITY_RAISED,
  reassigned: REFERRAL_REASSIGNED,
  cancelled: REFERRAL_CANCELLED,
} as const;

/** The referrals.events.v1 message of each change, in order, keyed by person. */
export function referralMessages(sector: Sector, changes: readonly ReferralChange[], now: Date): OutgoingMessage[] {
  const at = now.toISOString();
  return changes.map((change) => {
    const personId = change.kind === 'requested' ? change.referral.personId : change.personId;
    const r = change.referral;
    const facts = factsOf(sector, { ...r, personId }, r.ruleSetVersion);
    const data =
      change.kind === 'reassigned'
        ? {
            ...facts,
            fromServicePointId: change.from.servicePointId,
            ...(change.from.stationId ? { fromStationId: change.from.stationId } : {}),
            reason: change.reason,
            reassignedAt: at,
          }
        : change.kind === 'cancelled'
          ? { ...facts, reason: change.reason, cancelledAt: at }
          : { ...facts, requestedAt: at };
    return referralEventMessage(sector, TYPES[change.kind], personId, at, data);
  });
}
