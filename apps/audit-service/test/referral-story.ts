import { DECISION_CONSENT_OVERRIDDEN, REFERRAL_REQUESTED, type Sector } from '@ruta/contracts';
import type { OutgoingMessage } from '@ruta/messaging';
import {
  caseworkMessages,
  evolve,
  factsOf,
  referralEventMessage,
  requestedState,
  type CaseworkEvent,
  type LifecycleEvent,
  type LifecycleState,
} from '@ruta/referrals';

const RULE_SET = 'default-v1';
const HOUR = 3_600_000;

export interface ReferralAt {
  referralId: string;
  personId: string;
  sector: Sector;
  type: string;
  servicePointId: string;
  /** When it was requested; each later step is whole hours after. */
  requestedAt: Date;
}

/** The referral.requested its sector's routing publishes for `referral`. */
export function requestedMessage(referral: ReferralAt): { message: OutgoingMessage; state: LifecycleState } {
  const at = referral.requestedAt.toISOString();
  const event = {
    type: REFERRAL_REQUESTED,
    referralId: referral.referralId,
    actor: `system:${referral.sector}-routing`,
    at,
    personId: referral.personId,
    sector: referral.sector,
    referralType: referral.type,
    priority: 'urgent',
    servicePointId: referral.servicePointId,
    stationId: 'lajas-blancas',
    legalBasis: 'consent',
  } satisfies LifecycleEvent;
  const state = requestedState(event);
  const facts = factsOf(referral.sector, state, RULE_SET);
  return {
    message: referralEventMessage(referral.sector, REFERRAL_REQUESTED, referral.personId, at, {
      ...facts,
      requestedAt: at,
    }),
    state,
  };
}

/** A casework event `hours` after the request, by `actor`, without its own fields (the caller adds them). */
export const happened = (referral: ReferralAt, hours: number, actor: string) => ({
  referralId: referral.referralId,
  actor,
  at: new Date(referral.requestedAt.getTime() + hours * HOUR).toISOString(),
});

/**
 * A referral's whole working life as its sector publishes it: routing's request, then each
 * casework event in turn, each message built by the sector's own builders from the state before
 * and after it (evolve). Answers the messages in order and the state after each.
 */
export function referralLife(
  referral: ReferralAt,
  casework: readonly CaseworkEvent[],
): { messages: OutgoingMessage[]; states: LifecycleState[] } {
  const { message, state: requested } = requestedMessage(referral);
  const messages = [message];
  const states = [requested];
  let before = requested;
  for (const event of casework) {
    const after = evolve(before, event);
    messages.push(...caseworkMessages(referral.sector, RULE_SET, [{ event, before, after }]));
    states.push(after);
    before = after;
  }
  return { messages, states };
}

/**
 * A supervisor's consent override as the sector publishes it: decision.consent-overridden and
 * the referral.requested of the referral it made, on a basis other than consent.
 */
export function consentOverride(referral: ReferralAt): OutgoingMessage[] {
  const at = referral.requestedAt.toISOString();
  const overridden = referralEventMessage(referral.sector, DECISION_CONSENT_OVERRIDDEN, referral.personId, at, {
    decisionId: '42',
    personId: referral.personId,
    sector: referral.sector,
    referralType: referral.type,
    servicePointId: referral.servicePointId,
    referralId: referral.referralId,
    legalBasis: 'vital-interest',
    reason: 'vital-interest-emergency',
    actor: 'sv-rosa',
    overriddenAt: at,
  });
  const { message } = requestedMessage(referral);
  const requested = message.value as { data: Record<string, unknown> };
  return [
    overridden,
    { ...message, value: { ...requested, data: { ...requested.data, legalBasis: 'vital-interest' } } },
  ];
}
