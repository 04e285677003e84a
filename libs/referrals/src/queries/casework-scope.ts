import { canSeeSector, canSeeServicePoint, caseworkScope, type Principal } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';

/** Which referrals of the sector a casework list covers: one service point, or (undefined) all of them. */
export interface ListScope {
  servicePointId?: string;
}

/**
 * The scope of a casework list on `sector`'s routes, or undefined when the caller sees none of it
 * (another sector, no service point for a caseworker, a caseworker asking for another point): the
 * controller answers 404 then, confirming nothing. A supervisor sees every point, or the one asked for.
 * Only @ruta/auth's rules decide: canSeeSector, canSeeServicePoint for a point asked for, and
 * caseworkScope for the point a caseworker is narrowed to.
 */
export function listScope(principal: Principal, sector: Sector, servicePointId?: string): ListScope | undefined {
  const scope = caseworkScope(principal);
  if (!scope || !canSeeSector(principal, sector)) return undefined;
  if (servicePointId === undefined)
    return scope.servicePointId === undefined ? {} : { servicePointId: scope.servicePointId };
  return canSeeServicePoint(principal, servicePointId) ? { servicePointId } : undefined;
}
