import { randomUUID } from 'node:crypto';
import {
  REFERRAL_SLA_BREACHED,
  Topics,
  type CloudEvent,
  type LegalBasis,
  type Priority,
  type ReferralSlaBreachedV1,
  type Sector,
} from '@ruta/contracts';
import type { OutgoingMessage } from '@ruta/messaging';
import type { SlaKind } from '../domain/lifecycle/sla';

/** A breach a scan raised, with the referral facts its message carries. */
export interface RaisedBreach {
  referralId: string;
  personId: string;
  type: string;
  priority: Priority;
  legalBasis: LegalBasis;
  servicePointId: string;
  stationId: string | null;
  ruleSetVersion: string;
  kind: SlaKind;
  dueAt: string;
}

/** The referrals.events.v1 message of each breach, keyed by person: the referral's facts, never a note. */
export function slaBreachMessages(sector: Sector, breaches: readonly RaisedBreach[], now: Date): OutgoingMessage[] {
  const at = now.toISOString();
  return breaches.map((b) => {
    const data: ReferralSlaBreachedV1 = {
      referralId: b.referralId,
      personId: b.personId,
      sector,
      referralType: b.type,
      priority: b.priority,
      legalBasis: b.legalBasis,
      servicePointId: b.servicePointId,
      ...(b.stationId ? { stationId: b.stationId } : {}),
      ruleSetVersion: b.ruleSetVersion,
      kind: b.kind,
      dueAt: b.dueAt,
      breachedAt: at,
    };
    const event: CloudEvent = {
      specversion: '1.0',
      id: randomUUID(),
      source: `ruta/${sector}-service`,
      type: REFERRAL_SLA_BREACHED,
      subject: b.personId,
      time: at,
      datacontenttype: 'application/json',
      data,
    };
    return {
      topic: Topics.referralEvents,
      key: b.personId,
      value: event,
      headers: { ce_id: event.id, ce_type: REFERRAL_SLA_BREACHED },
    };
  });
}
