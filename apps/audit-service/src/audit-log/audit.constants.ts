import {
  contractsByType,
  INTAKE_EVENT_CONTRACTS,
  OPERATIONS_EVENT_CONTRACTS,
  REFERRAL_EVENT_CONTRACTS,
  Topics,
} from '@ruta/contracts';

export const AUDIT_SCHEMA = 'audit';
/** Every topic of the system lands in the audit log. */
export const AUDITED_TOPICS = [Topics.intakeEvents, Topics.referralEvents, Topics.onwardReferrals, Topics.operations];
export const AUDITED_CONTRACTS = contractsByType([
  ...INTAKE_EVENT_CONTRACTS,
  ...REFERRAL_EVENT_CONTRACTS,
  ...OPERATIONS_EVENT_CONTRACTS,
]);
