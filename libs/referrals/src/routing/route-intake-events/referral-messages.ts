import { randomUUID } from 'node:crypto';
import {
  REFERRAL_CANCELLED,
  REFERRAL_PRIORITY_RAISED,
  REFERRAL_REASSIGNED,
  REFERRAL_REQUESTED,
  Topics,
  type CloudEvent,
  type ReferralFactsV1,
  type Sector,
} from '@ruta/contracts';
import type { OutgoingMessage } from '@ruta/messaging';
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
    const facts: ReferralFactsV1 = {
      referralId: r.id,
      personId,
      sector,
      referralType: r.type,
      priority: r.priority,
      legalBasis: r.legalBasis,
      servicePointId: r.servicePointId,
      ...(r.stationId ? { stationId: r.stationId } : {}),
      ruleSetVersion: r.ruleSetVersion,
    };
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
    const type = TYPES[change.kind];
    const event: CloudEvent = {
      specversion: '1.0',
      id: randomUUID(),
      source: `ruta/${sector}-service`,
      type,
      subject: personId,
      time: at,
      datacontenttype: 'application/json',
      data,
    };
    return { topic: Topics.referralEvents, key: personId, value: event, headers: { ce_id: event.id, ce_type: type } };
  });
}
