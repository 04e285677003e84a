import { EVENT_JSON_LIMITS, parseBoundedJson, scanJson } from './bounded-json';
import { splitJsonArrayMember } from './json-array-member';

const LIMITS = { maxDepth: 4, maxValues: 20 };

/** Random valid JSON within a depth, for checking the scan against the native parser. */
function randomJson(depth: number, seed: { n: number }): unknown {
  const next = () => (seed.n = (seed.n * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const r = next();
  if (depth <= 1 || r < 0.4) {
    const leaves = ['a "quoted" \\ word', 'x\\"y', 12.5e3, -3, true, false, null, '{[,:]}', 'ñ\u2028'];
    return leaves[Math.floor(next() * leaves.length)];
  }
  const size = Math.floor(next() * 3);
  if (r < 0.7) return Array.from({ length: size }, () => randomJson(depth - 1, seed));
  return Object.fromEntries(Array.from({ length: size }, (_, i) => [`k${i}"\\`, randomJson(depth - 1, seed)]));
}

function depthAndValues(value: unknown): { depth: number; values: number } {
  if (typeof value !== 'object' || value === null) return { depth: 0, values: 1 };
  const children = (Array.isArray(value) ? value : Object.values(value)).map(depthAndValues);
  return {
    depth: 1 + Math.max(0, ...children.map((c) => c.depth)),
    values: 1 + children.reduce((sum, c) => sum + c.values, 0),
  };
}

describe('bounded JSON', () => {
  it('counts depth and values exactly as the native parser builds them', () => {
    const seed = { n: 7 };
    for (let i = 0; i < 2000; i++) {
      const value = randomJson(6, seed);
      const text = JSON.stringify(value, null, i % 2 ? 1 : 0);
      const { depth, values } = depthAndValues(value);
      const exact = { maxDepth: Math.max(depth, 1), maxValues: values };
      expect(scanJson(text, exact)).toBeUndefined();
      if (depth > 1) expect(scanJson(text, { ...exact, maxDepth: depth - 1 })?.reason).toBe('too-deep');
      expect(scanJson(text, { ...exact, maxValues: values - 1 })?.reason).toBe('too-many-values');
    }
  });

  it('refuses deep nesting and floods of values before building them', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(parseBoundedJson(deep, EVENT_JSON_LIMITS)).toEqual({
      ok: false,
      refusal: { reason: 'too-deep', message: 'the JSON is nested deeper than 8 levels' },
    });
    const flood = `{"events":[${'{},'.repeat(500_000)}{}]}`;
    expect(parseBoundedJson(flood, LIMITS)).toMatchObject({ ok: false, refusal: { reason: 'too-many-values' } });
  });

  it('reads keys such as __proto__ as plain data and says nothing of the content when refusing', () => {
    const parsed = parseBoundedJson('{"__proto__":{"polluted":1},"constructor":{}}', LIMITS);
    expect(parsed.ok && Object.keys(parsed.value as object)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const broken = parseBoundedJson('{"name":"María Pérez",', LIMITS);
    expect(broken).toEqual({ ok: false, refusal: { reason: 'syntax', message: 'the body is not valid JSON' } });
  });
});

describe('splitJsonArrayMember', () => {
  it('gives each item its own text, the nested and the malformed ones too', () => {
    const text = ' { "events" : [ {"a":[1,{"b":"]}"}]} , "x\\"" ,{"c":tru} ] } ';
    expect(splitJsonArrayMember(text, 'events', 10)).toEqual({
      ok: true,
      items: ['{"a":[1,{"b":"]}"}]}', '"x\\""', '{"c":tru}'],
    });
    const deep = `{"events":[{"id":1},${'['.repeat(5000)}${']'.repeat(5000)},{"id":2}]}`;
    const split = splitJsonArrayMember(deep, 'events', 10);
    expect(split.ok && split.items.map((item) => item.length)).toEqual([8, 10_000, 8]);
  });

  it('stops counting past the limit, before reading the rest', () => {
    const flood = `{"events":[${'{},'.repeat(2_700_000)}{}]}`;
    expect(splitJsonArrayMember(flood, 'events', 500)).toEqual({
      ok: false,
      problem: 'too-many',
      message: 'at most 500 events per request',
      unknownFields: 0,
    });
  });

  it('refuses other shapes without naming what the sender wrote', () => {
    expect(splitJsonArrayMember('{"events":[],"MariaPerez":1}', 'events', 5)).toMatchObject({
      ok: false,
      problem: 'shape',
      unknownFields: 1,
    });
    expect(splitJsonArrayMember('[1,2]', 'events', 5)).toMatchObject({ ok: false, problem: 'shape' });
    expect(splitJsonArrayMember('{"events":{}}', 'events', 5)).toMatchObject({ ok: false, problem: 'shape' });
    expect(splitJsonArrayMember('{"events":[1,2', 'events', 5)).toMatchObject({ ok: false, problem: 'syntax' });
    expect(splitJsonArrayMember('{"events":[1],"events":[2]}', 'events', 5)).toMatchObject({ problem: 'shape' });
    expect(splitJsonArrayMember('{"events":[1]} x', 'events', 5)).toMatchObject({ problem: 'syntax' });
  });
});
