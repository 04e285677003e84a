import { REFERRAL_SLA_BREACHED, type ReferralSlaBreachedV1, type Sector } from '@ruta/contracts';
import type { OutgoingMessage } from '@ruta/messaging';
import type { SlaKind } from '../domain/lifecycle/sla';
import { factsOf, referralEventMessage, type ReferralFactsSource } from '../messages/referral-event-message';

/** A breach a scan raised, with the referral facts its message carries. */
export interface RaisedBreach extends Omit<ReferralFactsSource, 'id'> {
  referralId: string;
  ruleSetVersion: string;
  kind: SlaKind;
  dueAt: string;
}

/** The referrals.events.v1 message of each breach, keyed by person: the referral's facts, never a note. */
export function slaBreachMessages(sector: Sector, breaches: readonly RaisedBreach[], now: Date): OutgoingMessage[] {
  const at = now.toISOString();
  return breaches.map((b) => {
    const data: ReferralSlaBreachedV1 = {
      ...factsOf(sector, { ...b, id: b.referralId }, b.ruleSetVersion),
      kind: b.kind,
      dueAt: b.dueAt,
      breachedAt: at,
    };
    return referralEventMessage(sector, REFERRAL_SLA_BREACHED, b.personId, at, data);
  });
}
