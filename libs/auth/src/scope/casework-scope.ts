import type { Sector } from '@ruta/contracts';
import type { Principal } from '../principal';

/**
 * Who sees which referrals (README: sector and service-point scoping):
 * - only caseworkers and supervisors see referrals, and only those of the sector in their token;
 * - a supervisor sees every service point of that sector;
 * - a caseworker sees only the service point in their token (none named: none seen), on routes
 *   that restrict by service point; the route decides whether that applies (a sector-wide search
 *   by person may not).
 * Any other role (auditor, coordinator, admin, border-agent) sees no referral through these rules:
 * their routes have their own. A "no" is answered 404, so another sector's objects stay unconfirmed.
 */
export function canSeeSector(principal: Principal, sector: Sector): boolean {
  const casework = principal.roles.includes('caseworker') || principal.roles.includes('supervisor');
  return casework && principal.sector !== undefined && principal.sector === sector;
}

/** Whether the service-point restriction lets `principal` see an object at `servicePointId` (sector checked apart). */
export function canSeeServicePoint(principal: Principal, servicePointId: string): boolean {
  if (principal.roles.includes('supervisor')) return true;
  if (!principal.roles.includes('caseworker')) return false;
  return principal.servicePointId !== undefined && principal.servicePointId === servicePointId;
}

/** Both rules for one object: what a handler asks before answering it, or 404. */
export function canSeeReferral(principal: Principal, referral: { sector: Sector; servicePointId: string }): boolean {
  return canSeeSector(principal, referral.sector) && canSeeServicePoint(principal, referral.servicePointId);
}

/** What a list query filters on; undefined: the principal sees no referral at all. */
export interface CaseworkScope {
  sector: Sector;
  /** Absent for a supervisor: every service point of the sector. */
  servicePointId?: string;
}

export function caseworkScope(principal: Principal): CaseworkScope | undefined {
  if (!principal.sector) return undefined;
  if (principal.roles.includes('supervisor')) return { sector: principal.sector };
  if (principal.roles.includes('caseworker') && principal.servicePointId)
    return { sector: principal.sector, servicePointId: principal.servicePointId };
  return undefined;
}
