import 'reflect-metadata';
import { contractsByType } from '../../contract-registry';
import { INTAKE_EVENT_CONTRACTS, REFERRAL_EVENT_CONTRACTS } from '../../registry';
import { readCloudEvent, validateCloudEvent } from '../../validation';

/** The registry the audit service and every referrals.events.v1 consumer read with. */
const contracts = contractsByType([...INTAKE_EVENT_CONTRACTS, ...REFERRAL_EVENT_CONTRACTS]);

const onward = (data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: '0b0a5c57-6f0e-4d43-9f51-3c1f1d8a2b10',
  source: 'ruta/protection-service',
  type: 'referral.referred-onward',
  subject: 'P-000123',
  time: '2026-11-29T09:00:00.000Z',
  datacontenttype: 'application/json',
  data: {
    referralId: '5d3c1e0a-7b2f-4c1d-9e8a-1f2b3c4d5e6f',
    personId: 'P-000123',
    sector: 'protection',
    referralType: 'child-protection',
    priority: 'emergency',
    legalBasis: 'best-interests-of-child',
    servicePointId: 'protection-lajas-blancas',
    stationId: 'lajas-blancas',
    ruleSetVersion: 'default-v1',
    toSector: 'health',
    onwardReferralType: 'mental-health',
    onwardLegalBasis: 'vital-interest',
    reason: 'health-concern',
    referredAt: '2026-11-29T09:00:00.000Z',
    ...data,
  },
});

const fields = (raw: unknown) => {
  const result = validateCloudEvent(raw, contracts);
  return result.ok ? [] : result.errors.map((e) => e.field).sort();
};

describe('referral.referred-onward v1', () => {
  it('is read by the audit registry as it is published', () => {
    const read = readCloudEvent(onward(), contracts);
    expect(read).toEqual({
      ok: true,
      event: { ...onward(), dataschema: 'urn:ruta:schema:referral.referred-onward:v1' },
    });
  });

  it('checks the shape only: any referral type of any sector, the source facts optional station', () => {
    const { stationId: _station, ...withoutStation } = onward().data;
    expect(fields({ ...onward(), data: withoutStation })).toEqual([]);
    expect(fields(onward({ onwardReferralType: 'no-such-type-anywhere' }))).toEqual([]);
  });

  it('names each field at fault', () => {
    expect(fields(onward({ toSector: 'police' }))).toEqual(['data.toSector']);
    expect(fields(onward({ onwardLegalBasis: 'public-interest' }))).toEqual(['data.onwardLegalBasis']);
    expect(fields(onward({ reason: 'Fear of return' }))).toEqual(['data.reason']);
    expect(fields(onward({ referredAt: 'yesterday' }))).toEqual(['data.referredAt']);
    expect(fields(onward({ onwardReferralType: '' }))).toEqual(['data.onwardReferralType']);
    expect(fields(onward({ note: 'SECRET' }))).toEqual(['data.(unknown field)']);
    const { toSector: _to, ...withoutTarget } = onward().data;
    expect(fields({ ...onward(), data: withoutTarget })).toEqual(['data.toSector']);
  });

  it('never echoes submitted values', () => {
    const result = validateCloudEvent(onward({ reason: 'SECRET reason', note: 'SECRET' }), contracts);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });
});
