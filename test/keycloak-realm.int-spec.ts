import { AuthConfig, jwksUrlOf, TokenVerifier } from '@ruta/auth';
import { readConfig } from '@ruta/platform';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  AGENCY_CLIENT,
  agencyToken,
  API_AUDIENCE,
  CLI_CLIENT_ID,
  DEMO_PASSWORD,
  demoUserToken,
  realmIssuer,
  resolveKeycloak,
  tokenResponse,
} from '@ruta/testing';

const header = (token: string) => decodeProtectedHeader(token);
const claims = (token: string) => decodeJwt(token);

// The realm file (docker/keycloak/ruta-realm.json) in a real Keycloak, read by the services' own
// verifier (libs/auth, from AuthConfig as a service reads it): what the realm issues is what the services accept.
describe('the ruta realm in a real Keycloak', () => {
  let issuer: string;
  let kids: unknown[];
  let verifier: TokenVerifier;

  beforeAll(async () => {
    issuer = realmIssuer(await resolveKeycloak());
    const config = readConfig(AuthConfig, { RUTA_AUTH_ISSUER: issuer, RUTA_AUTH_AUDIENCE: API_AUDIENCE });
    kids = ((await (await fetch(jwksUrlOf(config))).json()) as { keys: { kid: unknown }[] }).keys.map((k) => k.kid);
    verifier = TokenVerifier.fromConfig(config);
  });

  it("signs a caseworker's token with RS256 for the API, carrying the role, sector and service point", async () => {
    const token = await demoUserToken('protection-caseworker-los-planes');

    expect(header(token)).toMatchObject({ alg: 'RS256' });
    expect(kids).toContain(header(token).kid);
    expect(claims(token)).toMatchObject({ iss: issuer, realm_access: { roles: ['caseworker'] } });
    expect([claims(token).aud].flat()).toContain(API_AUDIENCE);
    expect((claims(token).exp as number) - (claims(token).iat as number)).toBe(300);
    expect(await verifier.verify(token)).toEqual({
      ok: true,
      principal: {
        subject: claims(token).sub,
        roles: ['caseworker'],
        sector: 'protection',
        servicePointId: 'protection-los-planes',
        clientId: CLI_CLIENT_ID,
      },
    });
  });

  it.each([
    ['health-supervisor', 'supervisor', 'health', 'health-lajas-blancas'],
    ['mides-caseworker-lajas-blancas', 'caseworker', 'social-development', 'mides-lajas-blancas'],
  ])('gives %s the %s role at a %s service point', async (username, role, sector, servicePointId) => {
    const verified = await verifier.verify(await demoUserToken(username));

    expect(verified).toMatchObject({ ok: true, principal: { roles: [role], sector, servicePointId } });
  });

  it.each([
    ['border-agent', 'border-agent'],
    ['auditor', 'auditor'],
    ['coordinator', 'coordinator'],
    ['ruta-admin', 'admin'],
  ])('gives %s the %s role and no sector', async (username, role) => {
    const verified = await verifier.verify(await demoUserToken(username));

    expect(verified).toEqual({ ok: true, principal: expect.objectContaining({ roles: [role] }) });
    expect(verified.ok && verified.principal.sector).toBeUndefined();
  });

  it("gives the agency system's service account border-agent and no sector", async () => {
    const verified = await verifier.verify(await agencyToken());

    expect(verified).toEqual({
      ok: true,
      principal: { subject: expect.any(String), roles: ['border-agent'], clientId: AGENCY_CLIENT.clientId },
    });
  });

  it('refuses a wrong password and a wrong client secret', async () => {
    const wrongPassword = await tokenResponse({
      grant_type: 'password',
      client_id: CLI_CLIENT_ID,
      username: 'health-caseworker-lajas-blancas',
      password: `${DEMO_PASSWORD}-wrong`,
    });
    const wrongSecret = await tokenResponse({
      grant_type: 'client_credentials',
      client_id: AGENCY_CLIENT.clientId,
      client_secret: 'not-the-secret',
    });

    expect(wrongPassword).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: 'unauthorized_client' } });
  });

  it('does not accept a realm token whose sector was changed after signing', async () => {
    const token = await demoUserToken('health-caseworker-los-planes');
    const [head, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims(token), sector: 'protection' })).toString('base64url');

    expect(await verifier.verify(`${head}.${forged}.${signature}`)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});
