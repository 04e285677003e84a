import 'reflect-metadata';
import type { ConsumedMessage } from '@ruta/messaging';
import { readOnwardMessage } from './onward-message';

const onward = (data: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: '0b0a5c57-6f0e-4d43-9f51-3c1f1d8a2b10',
  source: 'ruta/protection-service',
  type: 'referral.referred-onward',
  subject: 'P-000123',
  time: '2026-11-29T09:00:00.000Z',
  datacontenttype: 'application/json',
  ...envelope,
  data: {
    referralId: '5d3c1e0a-7b2f-4c1d-9e8a-1f2b3c4d5e6f',
    personId: 'P-000123',
    sector: 'protection',
    referralType: 'child-protection',
    priority: 'emergency',
    legalBasis: 'best-interests-of-child',
    servicePointId: 'protection-lajas-blancas',
    ruleSetVersion: 'default-v1',
    toSector: 'health',
    onwardReferralType: 'mental-health',
    onwardLegalBasis: 'vital-interest',
    reason: 'health-concern',
    referredAt: '2026-11-29T09:00:00.000Z',
    ...data,
  },
});
const message = (value: unknown): ConsumedMessage => ({
  topic: 'referrals.onward.v1',
  partition: 2,
  offset: '17',
  key: 'P-000123',
  value: typeof value === 'string' ? value : JSON.stringify(value),
  bytes: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers: {},
});
const kindOf = (value: unknown, sector: 'health' | 'protection' | 'social-development' = 'health') =>
  readOnwardMessage(message(value), sector).kind;

describe('an onward consumer reading referrals.onward.v1', () => {
  it('routes a valid onward referral addressed to its sector', () => {
    const read = readOnwardMessage(message(onward()), 'health');
    expect(read).toMatchObject({ kind: 'route', event: { id: onward().id, data: { toSector: 'health' } } });
  });

  it.each([
    ['another sector', onward(), 'social-development'],
    ['the source sector itself', onward(), 'protection'],
    ['a broken onward referral plainly for another sector', onward({ priority: 'whenever' }), 'social-development'],
    ['another type of referral event', { ...onward(), type: 'referral.requested' }, 'health'],
    ['a referral moved within its own sector', onward({ sector: 'health' }), 'health'],
  ] as const)('acks and ignores a message for %s', (_, value, sector) => {
    expect(kindOf(value, sector)).toBe('ignore');
  });

  it('acks a message whose ce_type header names another type without reading it; one naming onward is read', () => {
    const withType = (type: string, value: unknown) => ({ ...message(value), headers: { ce_type: Buffer.from(type) } });
    expect(readOnwardMessage(withType('referral.accepted', 'not json'), 'health')).toEqual({ kind: 'ignore' });
    expect(readOnwardMessage(withType('referral.referred-onward', onward()), 'health')).toMatchObject({
      kind: 'route',
      event: { id: onward().id },
    });
    expect(readOnwardMessage(withType('referral.referred-onward', 'not json'), 'health')).toMatchObject({
      kind: 'dead-letter',
    });
  });

  it('dead-letters what nobody can read, and an onward referral for it that breaks the contract', () => {
    expect(readOnwardMessage(message('not json'), 'health')).toMatchObject({
      kind: 'dead-letter',
      letter: { topic: 'referrals.onward.v1', partition: 2, offset: '17', code: 'MESSAGE.UNPARSEABLE' },
    });
    const broken = readOnwardMessage(message(onward({ onwardLegalBasis: 'SECRET-basis' })), 'health');
    expect(broken).toMatchObject({
      kind: 'dead-letter',
      letter: { code: 'MESSAGE.INVALID', eventId: onward().id, errors: [{ field: 'data.onwardLegalBasis' }] },
    });
    expect(JSON.stringify(broken)).not.toContain('SECRET');
    expect(kindOf(onward({ toSector: 42 }))).toBe('dead-letter');
  });
});
