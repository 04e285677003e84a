import {
  AUDIT_EVENT_CONTRACTS,
  contractsByType,
  INTAKE_EVENT_CONTRACTS,
  OPERATIONS_EVENT_CONTRACTS,
  REFERRAL_EVENT_CONTRACTS,
  Topics,
} from '@ruta/contracts';

export const AUDIT_SCHEMA = 'audit';
/** Every topic of the system lands in the audit log, the audit service's own reads included. */
export const AUDITED_TOPICS = [
  Topics.intakeEvents,
  Topics.referralEvents,
  Topics.onwardReferrals,
  Topics.operations,
  Topics.auditAccesses,
];
export const AUDITED_CONTRACTS = contractsByType([
  ...INTAKE_EVENT_CONTRACTS,
  ...REFERRAL_EVENT_CONTRACTS,
  ...OPERATIONS_EVENT_CONTRACTS,
  ...AUDIT_EVENT_CONTRACTS,
]);
