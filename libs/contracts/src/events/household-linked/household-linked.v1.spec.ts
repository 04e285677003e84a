import 'reflect-metadata';
import { contractsByType } from '../../contract-registry';
import { INTAKE_EVENT_CONTRACTS } from '../../registry';
import { validateCloudEvent } from '../../validation';

const contracts = contractsByType(INTAKE_EVENT_CONTRACTS);

const linked = (data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'evt-h1',
  source: 'senafront/lajas-blancas',
  type: 'household.linked',
  subject: 'P-000100',
  data: {
    householdId: 'H-42',
    members: [
      { personId: 'P-000100', relationship: 'head' },
      { personId: 'P-000101', relationship: 'child' },
    ],
    headPersonId: 'P-000100',
    linkedAt: '2026-11-20T14:10:00Z',
    ...data,
  },
});

const fields = (raw: unknown) => {
  const result = validateCloudEvent(raw, contracts);
  return result.ok ? [] : result.errors.map((e) => e.field);
};

const member = (i: number) => ({ personId: `P-${String(i).padStart(6, '0')}`, relationship: 'other-relative' });

describe('household.linked v1', () => {
  it('accepts a valid household, its subject being the head', () => {
    expect(validateCloudEvent(linked(), contracts)).toEqual({ ok: true, event: linked() });
  });

  it('takes any relationship label, bounded and without control characters', () => {
    const event = linked();
    event.data.members[1] = { personId: 'P-000101', relationship: 'cousin-in-spirit' };
    expect(fields(event)).toEqual([]);
    event.data.members[1] = { personId: 'P-000101', relationship: 'primo hermano' };
    expect(fields(event)).toEqual([]);
    for (const relationship of ['', 'x'.repeat(65), 'child\u0007', 3]) {
      event.data.members[1] = { personId: 'P-000101', relationship } as never;
      expect(fields(event)).toEqual(['data.members.1.relationship']);
    }
  });

  it('names the member and field at fault', () => {
    const event = linked();
    event.data.members[1] = { personId: 'P-000101', relationship: '' };
    expect(fields(event)).toEqual(['data.members.1.relationship']);
    event.data.members[0] = { personId: 'not valid!', relationship: 'head', age: 3 } as never;
    expect(fields({ ...event, subject: 'P-000100' })).toEqual([
      'data.members.0.(unknown field)',
      'data.members.0.personId',
      'data.members.1.relationship',
      'data.headPersonId',
    ]);
  });

  it('takes 1 to 30 members, each person once', () => {
    expect(fields(linked({ members: [] }))).toEqual(['data.members', 'data.headPersonId']);
    const thirty = [
      { personId: 'P-000100', relationship: 'head' },
      ...Array.from({ length: 29 }, (_, i) => member(i + 200)),
    ];
    expect(fields(linked({ members: thirty }))).toEqual([]);
    expect(fields(linked({ members: [...thirty, member(300)] }))).toEqual(['data.members']);
    const twice = [{ personId: 'P-000100', relationship: 'head' }, member(101), member(101)];
    expect(fields(linked({ members: twice }))).toEqual(['data.members']);
    expect(fields(linked({ members: 'P-000100' }))).toEqual(['data.members', 'data.headPersonId']);
  });

  it('requires the head to be one of the members and to be the subject', () => {
    expect(fields(linked({ headPersonId: 'P-000999' }))).toEqual(['data.headPersonId']);
    expect(fields({ ...linked(), subject: 'P-000101' })).toEqual(['data.headPersonId']);
    expect(fields({ ...linked({ headPersonId: 'P-000101' }), subject: 'P-000101' })).toEqual([]);
  });

  it('bounds the household id and the timestamp', () => {
    expect(fields(linked({ householdId: 'H'.repeat(65) }))).toEqual(['data.householdId']);
    expect(fields(linked({ linkedAt: `2026-11-20T14:10:00.${'1'.repeat(40)}Z` }))).toEqual(['data.linkedAt']);
    expect(fields(linked({ linkedAt: 'yesterday' }))).toEqual(['data.linkedAt']);
  });

  it('never echoes submitted values', () => {
    const event = linked({
      householdId: 'SECRET household id',
      members: [{ personId: 'P-000100', relationship: 'SECRET-relation\u0000' }],
    });
    const result = validateCloudEvent(event, contracts);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });
});
