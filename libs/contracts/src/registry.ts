import type { EventContract } from './contract-registry';
import {
  ASYLUM_INTENT_EXPRESSED,
  AsylumIntentExpressedV1,
} from './events/asylum-intent-expressed/asylum-intent-expressed.v1';
import { ConsentRecordedV1, CONSENT_RECORDED } from './events/consent-recorded/consent-recorded.v1';
import {
  HEALTH_INCIDENT_REPORTED,
  HealthIncidentReportedV1,
} from './events/health-incident-reported/health-incident-reported.v1';
import { HOUSEHOLD_LINKED, HouseholdLinkedV1 } from './events/household-linked/household-linked.v1';
import { PERSON_DEPARTED, PersonDepartedV1 } from './events/person-departed/person-departed.v1';
import { PersonRegisteredSubmissionV1 } from './events/person-registered/person-registered-submission.v1';
import { PersonRegisteredV1, PERSON_REGISTERED } from './events/person-registered/person-registered.v1';
import { PERSON_TRANSFERRED, PersonTransferredV1 } from './events/person-transferred/person-transferred.v1';
import {
  REFERRAL_PRIORITY_RAISED,
  REFERRAL_REQUESTED,
  ReferralRequestedV1,
} from './events/referral-requested/referral-requested.v1';
import { REFERRAL_CANCELLED, ReferralCancelledV1 } from './events/referral-cancelled/referral-cancelled.v1';
import { REFERRAL_REASSIGNED, ReferralReassignedV1 } from './events/referral-reassigned/referral-reassigned.v1';
import {
  VulnerabilityScreenedV1,
  VULNERABILITY_SCREENED,
} from './events/vulnerability-screened/vulnerability-screened.v1';
import { Topics } from './topics';

const intake = (type: string, payload: EventContract['payload'], subjectField?: string): EventContract => ({
  type,
  version: 1,
  topic: Topics.intakeEvents,
  payload,
  ...(subjectField ? { subjectField } : {}),
});

/** Intake events as published on intake.events.v1: never any direct identifier. */
export const INTAKE_EVENT_CONTRACTS: readonly EventContract[] = [
  intake(PERSON_REGISTERED, PersonRegisteredV1),
  intake(HOUSEHOLD_LINKED, HouseholdLinkedV1, 'headPersonId'),
  intake(VULNERABILITY_SCREENED, VulnerabilityScreenedV1),
  intake(CONSENT_RECORDED, ConsentRecordedV1),
  intake(ASYLUM_INTENT_EXPRESSED, AsylumIntentExpressedV1),
  intake(HEALTH_INCIDENT_REPORTED, HealthIncidentReportedV1),
  intake(PERSON_TRANSFERRED, PersonTransferredV1),
  intake(PERSON_DEPARTED, PersonDepartedV1),
];

/**
 * Intake events as border services submit them to the gateway: the published contracts, except
 * that person.registered may carry direct identifiers (split off before publishing).
 */
export const INTAKE_SUBMISSION_CONTRACTS: readonly EventContract[] = INTAKE_EVENT_CONTRACTS.map((c) =>
  c.type === PERSON_REGISTERED ? { ...c, payload: PersonRegisteredSubmissionV1 } : c,
);

export const REFERRAL_EVENT_CONTRACTS: readonly EventContract[] = [
  { type: REFERRAL_REQUESTED, version: 1, topic: Topics.referralEvents, payload: ReferralRequestedV1 },
  { type: REFERRAL_PRIORITY_RAISED, version: 1, topic: Topics.referralEvents, payload: ReferralRequestedV1 },
  { type: REFERRAL_REASSIGNED, version: 1, topic: Topics.referralEvents, payload: ReferralReassignedV1 },
  { type: REFERRAL_CANCELLED, version: 1, topic: Topics.referralEvents, payload: ReferralCancelledV1 },
];

export const INTAKE_EVENT_TYPES = INTAKE_EVENT_CONTRACTS.map((c) => c.type);
