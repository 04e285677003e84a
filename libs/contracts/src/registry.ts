import { ConsentRecordedV1, CONSENT_RECORDED } from './events/consent-recorded/consent-recorded.v1';
import { PersonRegisteredV1, PERSON_REGISTERED } from './events/person-registered/person-registered.v1';
import {
  REFERRAL_PRIORITY_RAISED,
  REFERRAL_REQUESTED,
  ReferralRequestedV1,
} from './events/referral-requested/referral-requested.v1';
import {
  VulnerabilityScreenedV1,
  VULNERABILITY_SCREENED,
} from './events/vulnerability-screened/vulnerability-screened.v1';
import { Topics, type TopicName } from './topics';

type PayloadClass = new () => object;

/** One entry per event type: its payload class and the topic it travels on. */
export interface EventContract {
  readonly type: string;
  readonly version: number;
  readonly topic: TopicName;
  readonly payload: PayloadClass;
}

export const INTAKE_EVENT_CONTRACTS: readonly EventContract[] = [
  { type: PERSON_REGISTERED, version: 1, topic: Topics.intakeEvents, payload: PersonRegisteredV1 },
  { type: VULNERABILITY_SCREENED, version: 1, topic: Topics.intakeEvents, payload: VulnerabilityScreenedV1 },
  { type: CONSENT_RECORDED, version: 1, topic: Topics.intakeEvents, payload: ConsentRecordedV1 },
];

export const REFERRAL_EVENT_CONTRACTS: readonly EventContract[] = [
  { type: REFERRAL_REQUESTED, version: 1, topic: Topics.referralEvents, payload: ReferralRequestedV1 },
  { type: REFERRAL_PRIORITY_RAISED, version: 1, topic: Topics.referralEvents, payload: ReferralRequestedV1 },
];

export const INTAKE_EVENT_TYPES = INTAKE_EVENT_CONTRACTS.map((c) => c.type);

export function contractsByType(contracts: readonly EventContract[]): ReadonlyMap<string, EventContract> {
  return new Map(contracts.map((c) => [c.type, c]));
}
