import type { Principal } from '../principal';
import type { Role } from '../roles';
import { canSeeReferral, canSeeSector, canSeeServicePoint, caseworkScope } from './casework-scope';

const who = (roles: Role[], sector?: Principal['sector'], servicePointId?: string): Principal => ({
  subject: 's',
  clientId: 'c',
  roles,
  ...(sector ? { sector } : {}),
  ...(servicePointId ? { servicePointId } : {}),
});
const at = (sector: Principal['sector'] & string, servicePointId: string) => ({ sector, servicePointId });

describe('casework scope', () => {
  const caseworker = who(['caseworker'], 'health', 'lajas-blancas-health');
  const supervisor = who(['supervisor'], 'health', 'meteti-hospital');

  it('lets a caseworker see their own sector and service point only', () => {
    expect(canSeeReferral(caseworker, at('health', 'lajas-blancas-health'))).toBe(true);
    expect(canSeeReferral(caseworker, at('health', 'san-vicente-health'))).toBe(false);
    expect(canSeeReferral(caseworker, at('protection', 'lajas-blancas-health'))).toBe(false);
    expect(canSeeSector(caseworker, 'health')).toBe(true);
    expect(caseworkScope(caseworker)).toEqual({ sector: 'health', servicePointId: 'lajas-blancas-health' });
  });

  it('lets a supervisor see every service point of their sector, and nothing of another', () => {
    expect(canSeeReferral(supervisor, at('health', 'san-vicente-health'))).toBe(true);
    expect(canSeeReferral(supervisor, at('social-development', 'mides-darien'))).toBe(false);
    expect(caseworkScope(supervisor)).toEqual({ sector: 'health' });
  });

  it('shows nothing to casework roles without a sector, or a caseworker without a service point', () => {
    expect(canSeeSector(who(['supervisor']), 'health')).toBe(false);
    expect(caseworkScope(who(['supervisor']))).toBeUndefined();
    expect(canSeeServicePoint(who(['caseworker'], 'health'), 'lajas-blancas-health')).toBe(false);
    expect(caseworkScope(who(['caseworker'], 'health'))).toBeUndefined();
  });

  it.each([['auditor'], ['coordinator'], ['admin'], ['border-agent']] as const)(
    'shows no referral to %s, even with a sector claim',
    (role) => {
      const principal = who([role], 'health', 'lajas-blancas-health');
      expect(canSeeSector(principal, 'health')).toBe(false);
      expect(canSeeServicePoint(principal, 'lajas-blancas-health')).toBe(false);
      expect(caseworkScope(principal)).toBeUndefined();
    },
  );
});
