import type { CloudEvent } from '@ruta/contracts';
import { placeOf, sequenceOf } from './sequence';

const published = (sequence?: unknown): CloudEvent =>
  ({
    specversion: '1.0',
    id: 'evt-1',
    source: 'senafront/lajas-blancas',
    type: 'person.departed',
    subject: 'P-000123',
    data: { personId: 'P-000123', departedAt: '2026-11-22T08:00:00Z' },
    ...(sequence === undefined ? {} : { sequence }),
  }) as CloudEvent;

describe('sequenceOf', () => {
  it.each([
    ['00000000000000000042', 42],
    ['00000000000000000001', 1],
    ['00000000000000000000', 0],
    ['00009007199254740991', Number.MAX_SAFE_INTEGER],
    ['42', 42],
  ])('reads %j as %d', (raw, value) => {
    expect(sequenceOf(published(raw))).toBe(value);
  });

  it.each([
    ['missing', undefined],
    ['a number, not a string', 42],
    ['empty', ''],
    ['negative', '-0000000000000000042'],
    ['a fraction', '0000000000000000004.2'],
    ['hexadecimal', '0x2A'],
    ['exponent notation', '1e3'],
    ['padded with spaces', ' 0000000000000000042'],
    ['21 digits', '000000000000000000042'],
    ['beyond what a number holds exactly', '99999999999999999999'],
    ['null', null],
  ])('gives undefined when %s', (_what, raw) => {
    expect(sequenceOf(published(raw))).toBeUndefined();
  });
});

describe('placeOf', () => {
  it('places a sequenced event at its sequence, even below what was folded (a late event)', () => {
    expect(placeOf(published('00000000000000000042'), 7)).toBe(42);
    expect(placeOf(published('00000000000000000003'), 7)).toBe(3);
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'forty-two'],
  ])('places an event whose sequence is %s just after everything folded', (_what, raw) => {
    expect(placeOf(published(raw), 7)).toBe(8);
    expect(placeOf(published(raw), 0)).toBe(1);
  });
});
