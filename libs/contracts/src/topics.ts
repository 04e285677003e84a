/** Kafka topics, versioned in their names: a breaking change is a new topic, never an edit. */
export const Topics = {
  intakeEvents: 'intake.events.v1',
  referralEvents: 'referrals.events.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];
