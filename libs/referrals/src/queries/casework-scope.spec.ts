import type { Principal } from '@ruta/auth';
import { listScope } from './casework-scope';

const principal = (roles: Principal['roles'], extra: Partial<Principal> = {}): Principal => ({
  subject: 'u-1',
  clientId: 'ruta-web',
  roles,
  sector: 'health',
  servicePointId: 'health-lajas-blancas',
  ...extra,
});

describe('listScope', () => {
  it("narrows a caseworker to their token's service point, asked for or not", () => {
    const caseworker = principal(['caseworker']);
    expect(listScope(caseworker, 'health')).toEqual({ servicePointId: 'health-lajas-blancas' });
    expect(listScope(caseworker, 'health', 'health-lajas-blancas')).toEqual({ servicePointId: 'health-lajas-blancas' });
  });

  it('sees nothing for a caseworker asking for another point, without a point, or of another sector', () => {
    expect(listScope(principal(['caseworker']), 'health', 'health-san-vicente')).toBeUndefined();
    expect(listScope(principal(['caseworker'], { servicePointId: undefined }), 'health')).toBeUndefined();
    expect(listScope(principal(['caseworker']), 'protection')).toBeUndefined();
  });

  it('lets a supervisor see every point of their sector, or the one asked for, and nothing of another sector', () => {
    const supervisor = principal(['supervisor']);
    expect(listScope(supervisor, 'health')).toEqual({});
    expect(listScope(supervisor, 'health', 'health-san-vicente')).toEqual({ servicePointId: 'health-san-vicente' });
    expect(listScope(principal(['caseworker', 'supervisor']), 'health')).toEqual({});
    expect(listScope(supervisor, 'social-development')).toBeUndefined();
    expect(listScope(principal(['supervisor'], { sector: undefined }), 'health')).toBeUndefined();
  });

  it('sees nothing for roles outside casework', () => {
    for (const role of ['auditor', 'coordinator', 'admin', 'border-agent'] as const) {
      expect(listScope(principal([role]), 'health')).toBeUndefined();
    }
  });
});
