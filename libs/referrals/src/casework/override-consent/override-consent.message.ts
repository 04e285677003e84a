import { DECISION_CONSENT_OVERRIDDEN, type DecisionConsentOverriddenV1 } from '@ruta/contracts';
import type { OutgoingMessage } from '@ruta/messaging';
import type { ConsentOverridden } from '../../domain/lifecycle/consent-override';
import { referralEventMessage } from '../../messages/referral-event-message';

/** decision.consent-overridden on referrals.events.v1, keyed by person: the reason's code travels, its note never. */
export function overriddenMessage(eventId: string, event: ConsentOverridden, referralId: string): OutgoingMessage {
  const data: DecisionConsentOverriddenV1 = {
    decisionId: event.decisionId,
    personId: event.personId,
    sector: event.sector,
    referralType: event.referralType,
    servicePointId: event.servicePointId,
    referralId,
    legalBasis: event.legalBasis,
    reason: event.reason.code,
    actor: event.actor,
    overriddenAt: event.at,
  };
  return referralEventMessage(event.sector, DECISION_CONSENT_OVERRIDDEN, event.personId, event.at, data, eventId);
}
