import 'reflect-metadata';
import { IsIn, IsArray, ArrayMaxSize, ArrayMinSize } from 'class-validator';
import { contractsByType, ContractRegistry, type EventContract, type Upcaster } from './contract-registry';
import {
  HEALTH_INCIDENT_CATEGORIES,
  HEALTH_INCIDENT_REPORTED,
  type HealthIncidentReportedV1,
} from './events/health-incident-reported/health-incident-reported.v1';
import { IsPersonId, IsTimestamp } from './events/common';
import { INTAKE_EVENT_CONTRACTS } from './registry';
import { Topics } from './topics';
import { readCloudEvent, validateCloudEvent } from './validation';

// Test-only versions: v2 replaces severity with a triage colour, v3 takes a list of categories.
const TRIAGE = ['red', 'yellow', 'green'] as const;

/** Test-only v2 of health.incident-reported. */
class HealthIncidentReportedV2 {
  @IsPersonId() personId: string;
  @IsTimestamp() reportedAt: string;
  @IsIn(TRIAGE) triage: (typeof TRIAGE)[number];
  @IsIn(HEALTH_INCIDENT_CATEGORIES) category: string;
}

/** Test-only v3 of health.incident-reported. */
class HealthIncidentReportedV3 {
  @IsPersonId() personId: string;
  @IsTimestamp() reportedAt: string;
  @IsIn(TRIAGE) triage: (typeof TRIAGE)[number];
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(6) @IsIn(HEALTH_INCIDENT_CATEGORIES, { each: true }) categories: string[];
}

const v1ToV2: Upcaster<HealthIncidentReportedV1, HealthIncidentReportedV2> = {
  type: HEALTH_INCIDENT_REPORTED,
  fromVersion: 1,
  upcast: ({ severity, ...rest }) => ({
    ...rest,
    triage: ({ critical: 'red', urgent: 'yellow', routine: 'green' } as const)[severity],
  }),
};
const v2ToV3: Upcaster<HealthIncidentReportedV2, HealthIncidentReportedV3> = {
  type: HEALTH_INCIDENT_REPORTED,
  fromVersion: 2,
  upcast: ({ category, ...rest }) => ({ ...rest, categories: [category] }),
};

const contract = (version: number, payload: EventContract['payload']): EventContract => ({
  type: HEALTH_INCIDENT_REPORTED,
  version,
  topic: Topics.intakeEvents,
  payload,
});
const v2 = contract(2, HealthIncidentReportedV2);
const v3 = contract(3, HealthIncidentReportedV3);
const registry = contractsByType([...INTAKE_EVENT_CONTRACTS, v2, v3], [v1ToV2, v2ToV3]);

const event = (data: Record<string, unknown>, dataschema?: string) => ({
  specversion: '1.0',
  id: 'evt-v1',
  source: 'minsa/lajas-blancas',
  type: HEALTH_INCIDENT_REPORTED,
  subject: 'P-000123',
  ...(dataschema ? { dataschema } : {}),
  data: { personId: 'P-000123', reportedAt: '2026-11-20T16:30:00Z', ...data },
});
const v1Event = () => event({ severity: 'critical', category: 'injury' });
const URN = 'urn:ruta:schema:health.incident-reported';

describe('readCloudEvent (versions and upcasters)', () => {
  it('reads a v1 event (no dataschema) as v3 through both upcasters', () => {
    const raw = v1Event();
    expect(readCloudEvent(raw, registry)).toEqual({
      ok: true,
      event: {
        ...raw,
        dataschema: `${URN}:v3`,
        data: { personId: 'P-000123', reportedAt: '2026-11-20T16:30:00Z', triage: 'red', categories: ['injury'] },
      },
    });
    expect(raw).toEqual(v1Event()); // the input is left as it was
  });

  it('reads a v2 event as v3 through one upcaster, and a v3 event as it is', () => {
    const fromV2 = readCloudEvent(event({ triage: 'green', category: 'illness' }, `${URN}:v2`), registry);
    expect(fromV2.ok && fromV2.event.data).toEqual({
      personId: 'P-000123',
      reportedAt: '2026-11-20T16:30:00Z',
      triage: 'green',
      categories: ['illness'],
    });
    const v3Event = event({ triage: 'yellow', categories: ['injury', 'illness'] }, `${URN}:v3`);
    expect(readCloudEvent(v3Event, registry)).toEqual({ ok: true, event: v3Event });
  });

  it('validates an event against its own version before upcasting', () => {
    const wrong = readCloudEvent(event({ triage: 'red', category: 'injury' }), registry); // v1 without severity
    expect(wrong.ok ? [] : wrong.errors.map((e) => e.field)).toEqual(['data.triage', 'data.severity']);
    const v2WithV1Data = readCloudEvent(event({ severity: 'urgent', category: 'injury' }, `${URN}:v2`), registry);
    expect(v2WithV1Data.ok ? [] : v2WithV1Data.errors.map((e) => e.field)).toEqual(['data.severity', 'data.triage']);
  });

  it('refuses an unknown version, a malformed dataschema or one naming another type, on field dataschema', () => {
    for (const dataschema of [
      `${URN}:v4`,
      `${URN}:v0`,
      'https://example.org/schema',
      'urn:ruta:schema:person.departed:v1',
    ]) {
      const result = readCloudEvent(event({ triage: 'red', categories: ['injury'] }, dataschema), registry);
      expect(result).toEqual({
        ok: false,
        errors: [{ field: 'dataschema', messages: [`dataschema must be one of: ${URN}:v1, ${URN}:v2, ${URN}:v3`] }],
      });
    }
  });

  it('reports data an upcaster makes invalid for the latest version', () => {
    const broken = contractsByType(
      [...INTAKE_EVENT_CONTRACTS, v2],
      [{ ...v1ToV2, upcast: (data: HealthIncidentReportedV1) => ({ ...data, triage: 'purple' }) }],
    );
    const result = readCloudEvent(v1Event(), broken);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['data.severity', 'data.triage']);
    expect(result.ok ? [] : result.errors[0]!.messages[0]).toMatch(/^after upcasting to v2: /);
  });

  it('sets the dataschema of the latest version even when no upcast was needed', () => {
    const registered = readCloudEvent(
      event({ severity: 'routine', category: 'other' }),
      contractsByType(INTAKE_EVENT_CONTRACTS),
    );
    expect(registered.ok && registered.event.dataschema).toBe(`${URN}:v1`);
  });
});

describe('validateCloudEvent with versions', () => {
  it('validates against the version the event names and returns it unchanged', () => {
    const v2Event = event({ triage: 'red', category: 'injury' }, `${URN}:v2`);
    expect(validateCloudEvent(v2Event, registry)).toEqual({ ok: true, event: v2Event });
    expect(validateCloudEvent(v1Event(), registry)).toEqual({ ok: true, event: v1Event() });
  });

  it('takes v1 dataschema explicitly, and refuses versions a plain map of contracts does not know', () => {
    const plain = new Map(INTAKE_EVENT_CONTRACTS.map((c) => [c.type, c]));
    const explicit = { ...v1Event(), dataschema: `${URN}:v1` };
    expect(validateCloudEvent(explicit, plain)).toEqual({ ok: true, event: explicit });
    const result = validateCloudEvent(event({ triage: 'red', category: 'injury' }, `${URN}:v2`), plain);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['dataschema']);
  });
});

describe('ContractRegistry', () => {
  it('answers the latest contract of each type as a map', () => {
    expect(registry.get(HEALTH_INCIDENT_REPORTED)).toBe(v3);
    expect(registry.size).toBe(INTAKE_EVENT_CONTRACTS.length);
    expect(registry.versionsOf(HEALTH_INCIDENT_REPORTED)).toEqual([1, 2, 3]);
  });

  it('refuses a version without an upcaster to the next, a gap and a duplicate', () => {
    expect(() => new ContractRegistry([...INTAKE_EVENT_CONTRACTS, v2, v3], [v1ToV2])).toThrow(
      'no upcaster from health.incident-reported v2',
    );
    expect(() => new ContractRegistry([...INTAKE_EVENT_CONTRACTS, v3], [v1ToV2, v2ToV3])).toThrow(
      'contract health.incident-reported v2 is missing between versions',
    );
    expect(() => new ContractRegistry([...INTAKE_EVENT_CONTRACTS, v2, v2], [v1ToV2])).toThrow(
      'contract health.incident-reported v2 twice',
    );
  });
});
