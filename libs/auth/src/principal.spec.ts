import { principalFromClaims } from './principal';

const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'user-1',
  azp: 'ruta-web',
  realm_access: { roles: ['supervisor'] },
  sector: 'protection',
  service_point: 'protection-darien',
  ...overrides,
});

describe('principalFromClaims', () => {
  it('keeps the known roles once each and drops the rest', () => {
    const roles = ['default-roles-ruta', 'caseworker', 'caseworker', 'Admin', 7, null, 'auditor'];
    expect(principalFromClaims(claims({ realm_access: { roles } }))?.roles).toEqual(['caseworker', 'auditor']);
    expect(principalFromClaims(claims({ realm_access: { roles: 'admin' } }))?.roles).toEqual([]);
    expect(principalFromClaims(claims({ realm_access: undefined, roles: ['admin'] }))?.roles).toEqual([]);
  });

  it.each([['Health'], ['justice'], [['health']], [''], [42]])(
    'leaves out a sector that is not one of SECTORS (%p)',
    (sector) => {
      const principal = principalFromClaims(claims({ sector }));
      expect(principal).toBeDefined();
      expect(principal).not.toHaveProperty('sector');
    },
  );

  it.each([['Meteti Hospital'], ['../x'], ['-x'], ['a'.repeat(65)], [''], [{}]])(
    'leaves out a service point that is not an id (%p)',
    (service_point) => expect(principalFromClaims(claims({ service_point }))).not.toHaveProperty('servicePointId'),
  );

  it('takes RFC 9068 client_id when there is no azp', () => {
    expect(principalFromClaims(claims({ azp: undefined, client_id: 'agency-system' }))?.clientId).toBe('agency-system');
  });

  it.each([{ sub: undefined }, { sub: '' }, { sub: 5 }, { azp: undefined }, { azp: 'x'.repeat(256) }])(
    'names no principal without a subject and a client (%p)',
    (overrides) => expect(principalFromClaims(claims(overrides))).toBeUndefined(),
  );
});
