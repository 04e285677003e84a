import type { Role } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';
import { segment, TestIssuer } from '../../auth/test/test-issuer';

export { TestIssuer };

/** Who a test token speaks for: its subject, roles and, for casework, sector and service point. */
export interface TestCaller {
  sub: string;
  roles: Role[];
  sector?: Sector;
  servicePoint?: string;
}

/**
 * Starts a loopback token issuer and points RUTA_AUTH_ISSUER at it, so every service built after
 * this (in this process, or a child given process.env) verifies its tokens. Stop it in afterAll.
 */
export async function startTestIssuer(): Promise<TestIssuer> {
  const issuer = await TestIssuer.start();
  process.env.RUTA_AUTH_ISSUER = issuer.url;
  delete process.env.RUTA_AUTH_JWKS_URL;
  return issuer;
}

/**
 * A bearer token of `caller` from `issuer`, shaped as the Keycloak realm shapes its access tokens
 * (valid five minutes; `lifetimeSeconds` for a run that keeps one longer, such as the bench).
 */
export async function tokenFor(issuer: TestIssuer, caller: TestCaller, lifetimeSeconds?: number): Promise<string> {
  return issuer.token({
    sub: caller.sub,
    realm_access: { roles: caller.roles },
    sector: caller.sector,
    service_point: caller.servicePoint,
    ...(lifetimeSeconds === undefined ? {} : { exp: Math.floor(Date.now() / 1000) + lifetimeSeconds }),
  });
}

/** `{ authorization: 'Bearer …' }` for `caller`, to spread into fetch headers. */
export async function authHeader(issuer: TestIssuer, caller: TestCaller): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await tokenFor(issuer, caller)}` };
}

/**
 * Ready-made callers as the realm's demo users are (docker/keycloak/ruta-realm.json): service
 * point ids are those of the routing reference data (`<sector prefix>-<station>`).
 */
export const callers = {
  /** A border agency's user, or the agency-system client's service account: intake only. */
  borderAgent: { sub: 'test-border-agent', roles: ['border-agent'] } as TestCaller,
  admin: { sub: 'test-admin', roles: ['admin'] } as TestCaller,
  auditor: { sub: 'test-auditor', roles: ['auditor'] } as TestCaller,
  coordinator: { sub: 'test-coordinator', roles: ['coordinator'] } as TestCaller,
  caseworker: (sector: Sector, servicePoint: string): TestCaller => ({
    sub: `test-caseworker-${servicePoint}`,
    roles: ['caseworker'],
    sector,
    servicePoint,
  }),
  /** Their token names a service point too (Keycloak's supervisors have one); it narrows nothing. */
  supervisor: (sector: Sector, servicePoint?: string): TestCaller => ({
    sub: `test-supervisor-${sector}`,
    roles: ['supervisor'],
    sector,
    ...(servicePoint ? { servicePoint } : {}),
  }),
};

/** A token of `caller` with `alg: none` and no signature: what a forger sends; every service must refuse it. */
export function unsignedToken(issuer: TestIssuer, caller: TestCaller): string {
  const claims = issuer.claims({
    sub: caller.sub,
    realm_access: { roles: caller.roles },
    sector: caller.sector,
    service_point: caller.servicePoint,
  });
  return `${segment({ alg: 'none', typ: 'JWT' })}.${segment(claims)}.`;
}
