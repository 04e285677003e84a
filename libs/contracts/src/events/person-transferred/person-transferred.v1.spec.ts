import 'reflect-metadata';
import { contractsByType } from '../../contract-registry';
import { INTAKE_EVENT_CONTRACTS } from '../../registry';
import { validateCloudEvent } from '../../validation';

const contracts = contractsByType(INTAKE_EVENT_CONTRACTS);

const transferred = (data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'evt-t1',
  source: 'senafront/lajas-blancas',
  type: 'person.transferred',
  subject: 'P-000123',
  data: {
    personId: 'P-000123',
    fromStationId: 'lajas-blancas',
    toStationId: 'san-vicente',
    transferredAt: '2026-11-21T08:00:00Z',
    ...data,
  },
});

const fields = (raw: unknown) => {
  const result = validateCloudEvent(raw, contracts);
  return result.ok ? [] : result.errors.map((e) => e.field);
};

describe('person.transferred v1', () => {
  it('accepts a valid transfer', () => {
    expect(validateCloudEvent(transferred(), contracts)).toEqual({ ok: true, event: transferred() });
  });

  it('refuses a transfer to the station the person is at', () => {
    const result = validateCloudEvent(transferred({ toStationId: 'lajas-blancas' }), contracts);
    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'data.toStationId', messages: ['toStationId must differ from fromStationId'] }],
    });
  });

  it('names each field at fault', () => {
    expect(fields(transferred({ fromStationId: 'Lajas Blancas' }))).toEqual(['data.fromStationId']);
    expect(fields(transferred({ toStationId: 's'.repeat(65) }))).toEqual(['data.toStationId']);
    expect(fields(transferred({ transferredAt: 'soon' }))).toEqual(['data.transferredAt']);
    const { toStationId: _, ...withoutDestination } = transferred().data;
    expect(fields({ ...transferred(), data: withoutDestination })).toEqual(['data.toStationId']);
  });

  it('never echoes submitted values', () => {
    const result = validateCloudEvent(transferred({ fromStationId: 'SECRET', toStationId: 'SECRET' }), contracts);
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });
});
