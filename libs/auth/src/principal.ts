import { SECTORS, type Sector } from '@ruta/contracts';
import { isRole, type Role } from './roles';

/** Who called, as far as Ruta trusts it: built from a verified token's claims only. */
export interface Principal {
  /** The token's `sub`: a user, or a client's service account. */
  readonly subject: string;
  readonly roles: readonly Role[];
  /** Absent when the claim is missing or not one of SECTORS (a service account has none). */
  readonly sector?: Sector;
  /** Absent when the claim is missing or not a service point id. */
  readonly servicePointId?: string;
  /** The client the token was issued to (`azp`, or RFC 9068's `client_id`). */
  readonly clientId: string;
}

/** Service point ids as the reference data writes them: lower-case words joined by "-". */
export const SERVICE_POINT_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_ID_LENGTH = 255;

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

/**
 * The principal of a verified payload, or undefined when it names no subject or client. Unknown
 * roles are dropped and a sector or service point that breaks its rule is left out, so a claim can
 * only narrow what a caller may do, never widen it.
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal | undefined {
  const clientId = isId(claims.azp) ? claims.azp : isId(claims.client_id) ? claims.client_id : undefined;
  if (!isId(claims.sub) || clientId === undefined) return undefined;
  const realmAccess = claims.realm_access as { roles?: unknown } | undefined;
  const listed = Array.isArray(realmAccess?.roles) ? realmAccess.roles : [];
  const roles = [...new Set(listed.filter(isRole))];
  const sector = (SECTORS as readonly unknown[]).includes(claims.sector) ? (claims.sector as Sector) : undefined;
  const point = claims.service_point;
  const servicePointId =
    typeof point === 'string' && point.length <= 64 && SERVICE_POINT_ID.test(point) ? point : undefined;
  return {
    subject: claims.sub,
    roles,
    clientId,
    ...(sector ? { sector } : {}),
    ...(servicePointId ? { servicePointId } : {}),
  };
}
