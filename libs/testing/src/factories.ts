import { randomUUID } from 'node:crypto';
import {
  formatSequence,
  type CloudEvent,
  type ConsentRecordedV1,
  type PersonRegisteredV1,
  type Sector,
  type VulnerabilityIndicators,
} from '@ruta/contracts';

let counter = 0;

/** A fresh pseudonymous person id, as printed on a registration card. */
export function personId(): string {
  counter += 1;
  return `P-${Date.now().toString(36).toUpperCase()}-${counter}-${randomUUID().slice(0, 4).toUpperCase()}`;
}

function envelope<T>(type: string, subject: string, data: T): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'senafront/lajas-blancas',
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}

export function personRegistered(
  id: string,
  overrides: Partial<PersonRegisteredV1> = {},
): CloudEvent<PersonRegisteredV1> {
  return envelope('person.registered', id, {
    personId: id,
    stationId: 'lajas-blancas',
    registeredAt: '2026-11-20T14:05:00Z',
    ageYears: 29,
    sex: 'female',
    nationality: 'VEN',
    languages: ['es'],
    category: 'migrant',
    ...overrides,
  });
}

export function vulnerabilityScreened(id: string, indicators: VulnerabilityIndicators) {
  return envelope('vulnerability.screened', id, { personId: id, screenedAt: '2026-11-20T14:30:00Z', indicators });
}

export function consentRecorded(id: string, sectors: Sector[], overrides: Partial<ConsentRecordedV1> = {}) {
  return envelope('consent.recorded', id, {
    personId: id,
    informationSharing: 'granted' as const,
    sectors,
    recordedAt: '2026-11-20T14:20:00Z',
    ...overrides,
  });
}

export function householdLinked(headId: string, members: { personId: string; relationship: string }[]) {
  return envelope('household.linked', headId, {
    householdId: `H-${headId}`,
    members,
    headPersonId: headId,
    linkedAt: '2026-11-20T14:10:00Z',
  });
}

export function healthIncidentReported(id: string, severity: 'critical' | 'urgent' | 'routine', category = 'injury') {
  return envelope('health.incident-reported', id, {
    personId: id,
    reportedAt: '2026-11-20T15:00:00Z',
    severity,
    category,
  });
}

export function asylumIntentExpressed(id: string) {
  return envelope('asylum.intent-expressed', id, {
    personId: id,
    expressedAt: '2026-11-20T15:10:00Z',
    fearOfReturn: true,
  });
}

export function personTransferred(id: string, fromStationId: string, toStationId: string) {
  return envelope('person.transferred', id, {
    personId: id,
    fromStationId,
    toStationId,
    transferredAt: '2026-11-21T08:00:00Z',
  });
}

export function personDeparted(id: string) {
  return envelope('person.departed', id, { personId: id, departedAt: '2026-11-22T08:00:00Z' });
}

/** The event as the gateway publishes it: with its place in the person's sequence. */
export function sequenced<T extends CloudEvent>(event: T, sequence: number): T & { sequence: string } {
  return { ...event, sequence: formatSequence(sequence) };
}
