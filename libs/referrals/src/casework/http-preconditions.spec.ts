import { canonicalJson, readIdempotencyKey, readIfMatch, requestDigest } from './http-preconditions';

describe('If-Match', () => {
  it.each([
    [undefined, { kind: 'missing' }],
    ['', { kind: 'missing' }],
    ['"3"', { kind: 'tags', versions: [3] }],
    ['"3", "4"', { kind: 'tags', versions: [3, 4] }],
    ['W/"3"', { kind: 'tags', versions: [] }],
    ['"abc"', { kind: 'tags', versions: [] }],
    ['"0"', { kind: 'tags', versions: [] }],
    ['3', { kind: 'malformed' }],
    ['*', { kind: 'malformed' }],
    ['"3', { kind: 'malformed' }],
    ['"a b"', { kind: 'malformed' }],
    [`"${'1'.repeat(2000)}"`, { kind: 'malformed' }],
  ])('%p reads as %p', (header, expected) => {
    expect(readIfMatch(header)).toEqual(expected);
  });
});

describe('Idempotency-Key', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['k-1', { kind: 'key', key: 'k-1' }],
    ['a'.repeat(255), { kind: 'key', key: 'a'.repeat(255) }],
    ['a'.repeat(256), { kind: 'malformed' }],
    ['', { kind: 'malformed' }],
    ['clé', { kind: 'malformed' }],
    ['a\tb', { kind: 'malformed' }],
    [['a', 'b'], { kind: 'malformed' }],
  ])('%p reads as %p', (header, expected) => {
    expect(readIdempotencyKey(header)).toEqual(expected);
  });
});

describe('request digest', () => {
  it('is the same for the same body in another key order, and differs for another body, path or method', () => {
    const base = requestDigest('POST', '/v1/health/referrals/x:hold', { reason: 'other', note: 'n' });
    expect(requestDigest('post', '/v1/health/referrals/x:hold', { note: 'n', reason: 'other' })).toBe(base);
    expect(requestDigest('POST', '/v1/health/referrals/x:hold', { reason: 'other', note: 'm' })).not.toBe(base);
    expect(requestDigest('POST', '/v1/health/referrals/x:fail', { reason: 'other', note: 'n' })).not.toBe(base);
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });
});
