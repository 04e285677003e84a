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
import {
  AsylumIntentExpressedSubmissionV1,
  ConsentRecordedSubmissionV1,
  HealthIncidentReportedSubmissionV1,
  HouseholdLinkedSubmissionV1,
  PersonDepartedSubmissionV1,
  PersonTransferredSubmissionV1,
  VulnerabilityScreenedSubmissionV1,
} from './events/intake-submissions.v1';
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
import { REFERRAL_SLA_BREACHED, ReferralSlaBreachedV1 } from './events/referral-sla-breached/referral-sla-breached.v1';
import {
  REFERRAL_ACCEPTED,
  REFERRAL_ASSIGNED,
  REFERRAL_COMPLETED,
  REFERRAL_FAILED,
  REFERRAL_PUT_ON_HOLD,
  REFERRAL_REJECTED,
  REFERRAL_RESUMED,
  REFERRAL_STARTED,
  REFERRAL_TRANSFERRED,
  ReferralAcceptedV1,
  ReferralAssignedV1,
  ReferralCompletedV1,
  ReferralFailedV1,
  ReferralPutOnHoldV1,
  ReferralRejectedV1,
  ReferralResumedV1,
  ReferralStartedV1,
  ReferralTransferredV1,
} from './events/referral-casework/referral-casework.v1';
import {
  REFERRAL_REFERRED_ONWARD,
  ReferralReferredOnwardV1,
} from './events/referral-referred-onward/referral-referred-onward.v1';
import {
  DECISION_CONSENT_OVERRIDDEN,
  DecisionConsentOverriddenV1,
} from './events/decision-consent-overridden/decision-consent-overridden.v1';
import {
  VulnerabilityScreenedV1,
  VULNERABILITY_SCREENED,
} from './events/vulnerability-screened/vulnerability-screened.v1';
import { DEAD_LETTERS_REDRIVEN, DeadLettersRedrivenV1 } from './events/dead-letters-redriven/dead-letters-redriven.v1';
import { AUDIT_ACCESSED, AuditAccessedV1 } from './events/audit-accessed/audit-accessed.v1';
import { PERSON_ERASED, PersonErasedV1 } from './events/person-erased/person-erased.v1';
import { Topics } from './topics';

/** One intake type: published with its data time required and `sequence`, submitted with neither. */
interface IntakeType {
  published: EventContract;
  submission: EventContract;
}

const intake = (
  type: string,
  payload: EventContract['payload'],
  submission: EventContract['payload'],
  timeField: string,
  subjectField?: string,
): IntakeType => {
  const common = { type, version: 1, topic: Topics.intakeEvents, timeField, ...(subjectField ? { subjectField } : {}) };
  return { published: { ...common, payload, sequenced: true }, submission: { ...common, payload: submission } };
};

// Time fields optional and open labels in a submission only widen what v1 accepted: no old sender
// breaks, so these stay v1 (PRODUCT.md "How strict intake is").
const INTAKE_TYPES: readonly IntakeType[] = [
  intake(PERSON_REGISTERED, PersonRegisteredV1, PersonRegisteredSubmissionV1, 'registeredAt'),
  intake(HOUSEHOLD_LINKED, HouseholdLinkedV1, HouseholdLinkedSubmissionV1, 'linkedAt', 'headPersonId'),
  intake(VULNERABILITY_SCREENED, VulnerabilityScreenedV1, VulnerabilityScreenedSubmissionV1, 'screenedAt'),
  intake(CONSENT_RECORDED, ConsentRecordedV1, ConsentRecordedSubmissionV1, 'recordedAt'),
  intake(ASYLUM_INTENT_EXPRESSED, AsylumIntentExpressedV1, AsylumIntentExpressedSubmissionV1, 'expressedAt'),
  intake(HEALTH_INCIDENT_REPORTED, HealthIncidentReportedV1, HealthIncidentReportedSubmissionV1, 'reportedAt'),
  intake(PERSON_TRANSFERRED, PersonTransferredV1, PersonTransferredSubmissionV1, 'transferredAt'),
  intake(PERSON_DEPARTED, PersonDepartedV1, PersonDepartedSubmissionV1, 'departedAt'),
];

/**
 * Intake events as published on intake.events.v1: never any direct identifier, always their data
 * time, and the gateway's per-person `sequence`.
 */
export const INTAKE_EVENT_CONTRACTS: readonly EventContract[] = INTAKE_TYPES.map((t) => t.published);

/**
 * Intake events as border services submit them to the gateway: the data time may be left out,
 * person.registered may carry direct identifiers (split off before publishing), and `sequence`
 * is refused like any field the contract does not know (only the gateway assigns it).
 */
export const INTAKE_SUBMISSION_CONTRACTS: readonly EventContract[] = INTAKE_TYPES.map((t) => t.submission);

export const REFERRAL_EVENT_CONTRACTS: readonly EventContract[] = [
  { type: REFERRAL_REQUESTED, version: 1, topic: Topics.referralEvents, payload: ReferralRequestedV1 },
  { type: REFERRAL_PRIORITY_RAISED, version: 1, topic: Topics.referralEvents, payload: ReferralRequestedV1 },
  { type: REFERRAL_REASSIGNED, version: 1, topic: Topics.referralEvents, payload: ReferralReassignedV1 },
  { type: REFERRAL_CANCELLED, version: 1, topic: Topics.referralEvents, payload: ReferralCancelledV1 },
  // Casework (issue 10): a person's cancel is a referral.cancelled too, with its reason code.
  { type: REFERRAL_ACCEPTED, version: 1, topic: Topics.referralEvents, payload: ReferralAcceptedV1 },
  { type: REFERRAL_REJECTED, version: 1, topic: Topics.referralEvents, payload: ReferralRejectedV1 },
  { type: REFERRAL_STARTED, version: 1, topic: Topics.referralEvents, payload: ReferralStartedV1 },
  { type: REFERRAL_PUT_ON_HOLD, version: 1, topic: Topics.referralEvents, payload: ReferralPutOnHoldV1 },
  { type: REFERRAL_RESUMED, version: 1, topic: Topics.referralEvents, payload: ReferralResumedV1 },
  { type: REFERRAL_COMPLETED, version: 1, topic: Topics.referralEvents, payload: ReferralCompletedV1 },
  { type: REFERRAL_FAILED, version: 1, topic: Topics.referralEvents, payload: ReferralFailedV1 },
  { type: REFERRAL_ASSIGNED, version: 1, topic: Topics.referralEvents, payload: ReferralAssignedV1 },
  { type: REFERRAL_TRANSFERRED, version: 1, topic: Topics.referralEvents, payload: ReferralTransferredV1 },
  { type: REFERRAL_REFERRED_ONWARD, version: 1, topic: Topics.onwardReferrals, payload: ReferralReferredOnwardV1 },
  {
    type: DECISION_CONSENT_OVERRIDDEN,
    version: 1,
    topic: Topics.referralEvents,
    payload: DecisionConsentOverriddenV1,
  },
  { type: REFERRAL_SLA_BREACHED, version: 1, topic: Topics.referralEvents, payload: ReferralSlaBreachedV1 },
];

/** The audit service's own events: its auditors' reads, on audit.accesses.v1 (into its own log). */
export const AUDIT_EVENT_CONTRACTS: readonly EventContract[] = [
  { type: AUDIT_ACCESSED, version: 1, topic: Topics.auditAccesses, payload: AuditAccessedV1 },
];

export const INTAKE_EVENT_TYPES = INTAKE_EVENT_CONTRACTS.map((c) => c.type);

/** Operations events: what operators did to the message flow and to people's data, kept by the audit log. */
export const OPERATIONS_EVENT_CONTRACTS: readonly EventContract[] = [
  { type: DEAD_LETTERS_REDRIVEN, version: 1, topic: Topics.operations, payload: DeadLettersRedrivenV1 },
  { type: PERSON_ERASED, version: 1, topic: Topics.operations, payload: PersonErasedV1 },
];

/** Every event Ruta publishes, whatever its topic: what the JSON Schemas describe. */
export const PUBLISHED_EVENT_CONTRACTS: readonly EventContract[] = [
  ...INTAKE_EVENT_CONTRACTS,
  ...REFERRAL_EVENT_CONTRACTS,
  ...OPERATIONS_EVENT_CONTRACTS,
  ...AUDIT_EVENT_CONTRACTS,
];
