import { createHash } from 'node:crypto';
import { entryLeafData, entryLeafHash, type LogEntry } from './leaf-entry';

const entry: LogEntry = {
  position: '41',
  eventId: '3f6b2a10-8c1d-4e2f-9a0b-1c2d3e4f5a6b',
  topic: 'referrals.events.v1',
  partition: 2,
  offset: '1077',
  type: 'decision.consent-overridden',
  subject: 'P-000123',
  actor: 'sv-rosa',
  eventTime: '2026-11-29T09:00:00.000Z',
  appendedAt: '2026-11-29T09:00:01.250Z',
  bytes: Buffer.from('{"specversion":"1.0","id":"3f6b2a10"}'),
};

describe('the leaf of an audit log entry', () => {
  it('given an entry, then its leaf data is the versioned JSON array of its fields, a newline, then the message bytes', () => {
    expect(entryLeafData(entry).toString('utf8')).toBe(
      '["ruta-audit-entry/1","41","3f6b2a10-8c1d-4e2f-9a0b-1c2d3e4f5a6b","referrals.events.v1",2,"1077",' +
        '"decision.consent-overridden","P-000123","sv-rosa","2026-11-29T09:00:00.000Z","2026-11-29T09:00:01.250Z"]\n' +
        '{"specversion":"1.0","id":"3f6b2a10"}',
    );
  });

  it('given an entry, then its leaf hash is SHA-256 of 0x00 and the leaf data', () => {
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from([0]), entryLeafData(entry)]))
      .digest();
    expect(entryLeafHash(entry)).toEqual(expected);
  });

  it('given an entry without actor or event time, then they are encoded as null', () => {
    const anonymous = { ...entry, actor: null, eventTime: null };
    expect(entryLeafData(anonymous).toString('utf8')).toContain('"P-000123",null,null,"2026-11-29T09:00:01.250Z"]\n');
  });

  it('given message bytes that are not UTF-8, then they are hashed as they are', () => {
    const binary = { ...entry, bytes: Buffer.from([0xff, 0x00, 0x0a, 0xfe]) };
    expect(entryLeafData(binary).subarray(-4)).toEqual(Buffer.from([0xff, 0x00, 0x0a, 0xfe]));
  });

  it.each<[keyof LogEntry, LogEntry[keyof LogEntry]]>([
    ['position', '42'],
    ['eventId', '3f6b2a10-8c1d-4e2f-9a0b-1c2d3e4f5a6c'],
    ['topic', 'intake.events.v1'],
    ['partition', 3],
    ['offset', '1078'],
    ['type', 'referral.referred-onward'],
    ['subject', 'P-000124'],
    ['actor', null],
    ['actor', 'sv-rosb'],
    ['eventTime', null],
    ['eventTime', '2026-11-29T09:00:00.001Z'],
    ['appendedAt', '2026-11-29T09:00:01.251Z'],
    ['bytes', Buffer.from('{"specversion":"1.0","id":"3f6b2a11"}')],
    ['bytes', Buffer.concat([entry.bytes, Buffer.from(' ')])],
  ])('given the entry with %s changed to %p, then its leaf hash changes', (field, value) => {
    expect(entryLeafHash({ ...entry, [field]: value })).not.toEqual(entryLeafHash(entry));
  });

  it('given a field holding a newline, then JSON escapes it, so the first 0x0A byte always ends the fields', () => {
    const data = entryLeafData({ ...entry, subject: 'P-000123\n]', bytes: Buffer.from('x') });
    expect(data.indexOf(0x0a)).toBe(data.length - 2);
    expect(JSON.parse(data.subarray(0, data.indexOf(0x0a)).toString('utf8'))[7]).toBe('P-000123\n]');
  });

  it.each<[Partial<LogEntry>, string]>([
    [{ position: '041' }, 'entry position must be a non-negative integer'],
    [{ position: '-1' }, 'entry position must be a non-negative integer'],
    [{ offset: '1e3' }, 'entry offset must be a decimal string, got "1e3"'],
    [{ partition: -1 }, 'entry partition must be a non-negative integer, got -1'],
    [{ partition: 0.5 }, 'entry partition must be a non-negative integer, got 0.5'],
    [{ eventTime: '2026-11-29T09:00:00Z' }, 'entry eventTime must be an ISO-8601 UTC time with milliseconds'],
    [{ eventTime: '2026-11-29T09:00:00.000+00:00' }, 'entry eventTime must be an ISO-8601 UTC time'],
    [{ appendedAt: '2026-02-30T09:00:00.000Z' }, 'entry appendedAt must be an ISO-8601 UTC time with milliseconds'],
  ])('given a field with more than one spelling (%p), then the entry is refused', (change, message) => {
    expect(() => entryLeafHash({ ...entry, ...change })).toThrow(message);
  });
});
