import { randomUUID } from 'node:crypto';
import {
  REFERRAL_EVENT_CONTRACTS,
  Topics,
  type CloudEvent,
  type LegalBasis,
  type Priority,
  type ReferralFactsV1,
  type Sector,
} from '@ruta/contracts';
import type { OutgoingMessage } from '@ruta/messaging';

/** What a referral's published facts are read from: routing's new referral, the lifecycle's state, an SLA breach. */
export interface ReferralFactsSource {
  id: string;
  personId: string;
  type: string;
  priority: Priority;
  legalBasis: LegalBasis;
  servicePointId: string;
  stationId: string | null;
}

/**
 * The ReferralFactsV1 every referral event carries: who, which referral, where, on what basis and
 * under which rule set. A station only when the referral has one; never a note or a name.
 */
export function factsOf(sector: Sector, referral: ReferralFactsSource, ruleSetVersion: string): ReferralFactsV1 {
  return {
    referralId: referral.id,
    personId: referral.personId,
    sector,
    referralType: referral.type,
    priority: referral.priority,
    legalBasis: referral.legalBasis,
    servicePointId: referral.servicePointId,
    ...(referral.stationId ? { stationId: referral.stationId } : {}),
    ruleSetVersion,
  };
}

/**
 * The topic each referral event type goes to: referrals.events.v1, but onward referrals have a
 * topic of their own, so the sectors reading them do not read every other referral event too.
 */
const TOPIC_OF = new Map(REFERRAL_EVENT_CONTRACTS.map((c) => [c.type, c.topic]));

/**
 * One message of referrals.events.v1 (or referrals.onward.v1) from ruta/<sector>-service: a CloudEvent about the person
 * (subject and Kafka key, so one person's events stay in order), with its id and type as headers.
 */
export function referralEventMessage(
  sector: Sector,
  type: string,
  personId: string,
  time: string,
  data: object,
  id: string = randomUUID(),
): OutgoingMessage {
  const value: CloudEvent = {
    specversion: '1.0',
    id,
    source: `ruta/${sector}-service`,
    type,
    subject: personId,
    time,
    datacontenttype: 'application/json',
    data,
  };
  const topic = TOPIC_OF.get(type) ?? Topics.referralEvents;
  return { topic, key: personId, value, headers: { ce_id: id, ce_type: type } };
}
