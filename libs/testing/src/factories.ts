import { randomUUID } from 'node:crypto';
import type {
  CloudEvent,
  ConsentRecordedV1,
  PersonRegisteredV1,
  Sector,
  VulnerabilityIndicators,
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
