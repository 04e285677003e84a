import { structuralErrors, unstorableStrings } from './event-structure';

const KNOWN = new Set(['data', 'identifiers', 'members', 'personId', 'source']);

describe('structuralErrors', () => {
  it('refuses machinery keys anywhere, naming only the contract part of the path', () => {
    const raw = JSON.parse(
      '{"constructor":1,"data":{"identifiers":{"__proto__":{}},"members":[{"prototype":null}],"MariaP":{"constructor":{}}}}',
    ) as unknown;
    expect(
      structuralErrors(raw, 8, KNOWN)
        .map((e) => e.field)
        .sort(),
    ).toEqual([
      '(unknown field)',
      'data.(unknown field)',
      'data.identifiers.(unknown field)',
      'data.members.0.(unknown field)',
    ]);
    expect(JSON.stringify(structuralErrors(raw, 8, KNOWN))).not.toContain('MariaP');
  });

  it('refuses nesting past the limit and accepts the rest as is', () => {
    let deep: unknown = {};
    for (let i = 0; i < 20; i++) deep = { data: deep };
    expect(structuralErrors(deep, 8, KNOWN)).toEqual([
      { field: 'data.data.data.data.data.data.data.data', messages: ['nested deeper than 8 levels'] },
    ]);
    expect(structuralErrors({ data: { members: [{ personId: 'P-1' }] } }, 8, KNOWN)).toEqual([]);
  });
});

describe('unstorableStrings', () => {
  it('names strings holding a NUL or a lone surrogate, and passes any well-formed text', () => {
    const event = { source: 'senafront\ud800', data: { members: ['ok 😀 ñ', 'a\u0000b'] } };
    expect(
      unstorableStrings(event)
        .map((e) => e.field)
        .sort(),
    ).toEqual(['data.members.1', 'source']);
    expect(unstorableStrings({ source: 'Darién 😀 \u2028' })).toEqual([]);
  });
});
