import { inspectEvent } from './event-structure';

const KNOWN = new Set(['data', 'identifiers', 'members', 'personId', 'source']);

describe('inspectEvent', () => {
  it('refuses machinery keys anywhere, naming only the contract part of the path', () => {
    const raw = JSON.parse(
      '{"constructor":1,"data":{"identifiers":{"__proto__":{}},"members":[{"prototype":null}],"MariaP":{"constructor":{}}}}',
    ) as unknown;
    const { blocking } = inspectEvent(raw, 8, KNOWN);
    expect(blocking.map((e) => e.field).sort()).toEqual([
      '(unknown field)',
      'data.(unknown field)',
      'data.identifiers.(unknown field)',
      'data.members.0.(unknown field)',
    ]);
    expect(JSON.stringify(blocking)).not.toContain('MariaP');
  });

  it('refuses nesting past the limit and passes the rest as is', () => {
    let deep: unknown = {};
    for (let i = 0; i < 20; i++) deep = { data: deep };
    expect(inspectEvent(deep, 8, KNOWN).blocking).toEqual([
      { field: 'data.data.data.data.data.data.data.data', messages: ['nested deeper than 8 levels'] },
    ]);
    expect(inspectEvent({ data: { members: [{ personId: 'P-1' }] } }, 8, KNOWN)).toEqual({
      blocking: [],
      unstorable: [],
    });
  });

  it('names contract strings holding a NUL or a lone surrogate, and passes any well-formed text', () => {
    const event = { source: 'senafront\ud800', data: { members: ['ok 😀 ñ', 'a\u0000b'], MariaP: 'x\u0000' } };
    expect(
      inspectEvent(event, 8, KNOWN)
        .unstorable.map((e) => e.field)
        .sort(),
    ).toEqual(['data.members.1', 'source']);
    expect(inspectEvent({ source: 'Darién 😀 \u2028' }, 8, KNOWN).unstorable).toEqual([]);
  });
});
