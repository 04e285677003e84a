import {
  DECISION_CONSENT_OVERRIDDEN,
  Topics,
  type CloudEvent,
  type DecisionConsentOverriddenV1,
} from '@ruta/contracts';
import type { OutgoingMessage } from '@ruta/messaging';
import type { ConsentOverridden } from '../../domain/lifecycle/consent-override';

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
  const value: CloudEvent = {
    specversion: '1.0',
    id: eventId,
    source: `ruta/${event.sector}-service`,
    type: DECISION_CONSENT_OVERRIDDEN,
    subject: event.personId,
    time: event.at,
    datacontenttype: 'application/json',
    data,
  };
  return {
    topic: Topics.referralEvents,
    key: event.personId,
    value,
    headers: { ce_id: eventId, ce_type: DECISION_CONSENT_OVERRIDDEN },
  };
}
