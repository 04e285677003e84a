/** Kafka topics, versioned in their names: a breaking change is a new topic, never an edit. */
export const Topics = {
  /** Where agency systems may produce intake events; the gateway validates and accepts them. */
  intakeSubmissions: 'intake.submissions.v1',
  intakeEvents: 'intake.events.v1',
  referralEvents: 'referrals.events.v1',
  /** Onward referrals from one sector to another: read by every sector service, for those addressed to it. */
  onwardReferrals: 'referrals.onward.v1',
  /** What operators did (dead-letter redrives, erasures), for the audit log. */
  operations: 'ops.events.v1',
  /** The audit service's own events: every read of the audit log by an auditor, logged like all else. */
  auditAccesses: 'audit.accesses.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];
