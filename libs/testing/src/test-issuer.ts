import type { Role } from '@ruta/auth';
import type { Sector } from '@ruta/contracts';
import { TestIssuer } from '../../auth/test/test-issuer';

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

/** A bearer token of `caller` from `issuer`, shaped as the Keycloak realm shapes its access tokens. */
export async function tokenFor(issuer: TestIssuer, caller: TestCaller): Promise<string> {
  return issuer.token({
    sub: caller.sub,
    realm_access: { roles: caller.roles },
    sector: caller.sector,
    service_point: caller.servicePoint,
  });
}
