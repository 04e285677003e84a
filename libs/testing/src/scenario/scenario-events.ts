import type {
  AsylumIntentExpressedV1,
  CloudEvent,
  ConsentRecordedV1,
  HealthIncidentSeverity,
  PersonRegisteredV1,
  PersonTransferredV1,
  VulnerabilityIndicators,
} from '@ruta/contracts';

// Type-only imports: the bench loads this folder compiled on its own, without the contracts at run time.

/** A `data` time field a submission may leave out (PRODUCT.md "How strict intake is"). */
type TimeLeftOut<T, K extends keyof T> = Omit<T, K> & { [P in K]?: string };

/** The eight intake events as an agency system submits them: open labels as strings, times optional. */
export interface ScenarioData {
  'person.registered': TimeLeftOut<PersonRegisteredV1, 'registeredAt'>;
  'household.linked': {
    householdId: string;
    members: { personId: string; relationship: string }[];
    headPersonId: string;
    linkedAt?: string;
  };
  'vulnerability.screened': { personId: string; screenedAt?: string; indicators: VulnerabilityIndicators };
  'consent.recorded': TimeLeftOut<ConsentRecordedV1, 'recordedAt'>;
  'asylum.intent-expressed': TimeLeftOut<AsylumIntentExpressedV1, 'expressedAt'>;
  'health.incident-reported': {
    personId: string;
    reportedAt?: string;
    severity: HealthIncidentSeverity;
    category: string;
  };
  'person.transferred': TimeLeftOut<PersonTransferredV1, 'transferredAt'>;
  'person.departed': { personId: string; departedAt?: string };
}

export type ScenarioEventType = keyof ScenarioData;

export const SCENARIO_EVENT_TYPES: readonly ScenarioEventType[] = [
  'person.registered',
  'household.linked',
  'vulnerability.screened',
  'consent.recorded',
  'asylum.intent-expressed',
  'health.incident-reported',
  'person.transferred',
  'person.departed',
];

/** The time field inside `data` of each type. */
export const DATA_TIME_FIELD: Readonly<Record<ScenarioEventType, string>> = {
  'person.registered': 'registeredAt',
  'household.linked': 'linkedAt',
  'vulnerability.screened': 'screenedAt',
  'consent.recorded': 'recordedAt',
  'asylum.intent-expressed': 'expressedAt',
  'health.incident-reported': 'reportedAt',
  'person.transferred': 'transferredAt',
  'person.departed': 'departedAt',
};

export type ScenarioEventOf<T extends ScenarioEventType> = CloudEvent<ScenarioData[T], T>;
export type ScenarioEvent = { [T in ScenarioEventType]: ScenarioEventOf<T> }[ScenarioEventType];

/** How an event reaches the gateway: the HTTP batch endpoint, the single-event endpoint, or Kafka. */
export type Channel = 'batch' | 'single' | 'kafka';
export const CHANNELS: readonly Channel[] = ['batch', 'single', 'kafka'];

/** One event of a round, with the channel its sender uses and the household (or person) it belongs to. */
export interface RoundEvent {
  event: ScenarioEvent;
  channel: Channel;
  /** Events of one group never share a round, so their order is the order of the rounds. */
  group: string;
}
