import { bearerCredentials, MAX_TOKEN_BYTES } from './bearer-token';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

describe('bearerCredentials', () => {
  it.each([[undefined], [''], ['   '], [`Basic ${JWT}`], ['Digest x'], [`Token ${JWT}`]])(
    'calls %p no bearer credentials',
    (header) => expect(bearerCredentials(header)).toEqual({ kind: 'missing' }),
  );

  it.each([
    ['Bearer'],
    ['Bearer '],
    [`Bearer ${JWT} extra`],
    [`Bearer ${JWT}.x`],
    ['Bearer not-a-jwt'],
    ['Bearer a.b'],
    [`Bearer ${JWT}\tx`],
    [`Bearer x${'.y'.repeat(3)}`],
    [[`Bearer ${JWT}`, `Bearer ${JWT}`]],
    [`Bearer ${'a'.repeat(MAX_TOKEN_BYTES)}.b.c`],
    [`Bearer ${'a'.repeat(1_000_000)}`],
  ])('calls %p malformed', (header) => expect(bearerCredentials(header)).toEqual({ kind: 'malformed' }));

  it('reads the token whatever the case of the scheme', () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER'])
      expect(bearerCredentials(`${scheme} ${JWT}`)).toEqual({ kind: 'token', token: JWT });
    expect(bearerCredentials(`Bearer ${JWT}.`.slice(0, -1))).toEqual({ kind: 'token', token: JWT });
  });

  it('takes a token up to the size limit', () => {
    const big = `${'a'.repeat(MAX_TOKEN_BYTES - 10)}.b.c`;
    expect(bearerCredentials(`Bearer ${big}`)).toEqual({ kind: 'token', token: big });
  });
});
