import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import {
  agencyToken,
  API_AUDIENCE,
  CLI_CLIENT_ID,
  DEMO_PASSWORD,
  demoUserToken,
  realmIssuer,
  resolveKeycloak,
  tokenResponse,
} from './keycloak';

interface Jwk extends JsonWebKey {
  kid: string;
  use?: string;
}

/** Header and claims of a compact JWT, and its signature checked against the realm's JWKS. */
function inspect(token: string, keys: Jwk[]) {
  const [header, payload, signature] = token.split('.');
  const decode = (part: string) =>
    JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  const head = decode(header);
  const key = keys.find((k) => k.kid === head.kid && k.use !== 'enc');
  const signed =
    key !== undefined &&
    verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      createPublicKey({ key: key, format: 'jwk' }),
      Buffer.from(signature, 'base64url'),
    );
  return { header: head, claims: decode(payload), signed };
}

// The realm file (docker/keycloak/ruta-realm.json) against a real Keycloak: what the services rely on.
describe('the ruta realm in a real Keycloak', () => {
  let issuer: string;
  let keys: Jwk[];

  beforeAll(async () => {
    issuer = realmIssuer(await resolveKeycloak());
    const jwks = (await (await fetch(`${issuer}/protocol/openid-connect/certs`)).json()) as { keys: Jwk[] };
    keys = jwks.keys;
  });

  it("signs a caseworker's token with RS256 for the API, with roles, sector and service point", async () => {
    const { header, claims, signed } = inspect(await demoUserToken('protection-caseworker-los-planes'), keys);

    expect(header).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(signed).toBe(true);
    expect(claims.iss).toBe(issuer);
    expect([claims.aud].flat()).toContain(API_AUDIENCE);
    expect(claims.realm_access).toEqual({ roles: expect.arrayContaining(['caseworker']) });
    expect(claims.roles).toEqual(expect.arrayContaining(['caseworker']));
    expect(claims.roles).not.toContain('supervisor');
    expect(claims).toMatchObject({ sector: 'protection', service_point: 'protection-los-planes' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
  });

  it("gives a supervisor the supervisor role and their sector's service point", async () => {
    const { claims, signed } = inspect(await demoUserToken('mides-supervisor'), keys);

    expect(signed).toBe(true);
    expect(claims.roles).toEqual(expect.arrayContaining(['supervisor']));
    expect(claims).toMatchObject({ sector: 'social-development', service_point: 'mides-lajas-blancas' });
  });

  it("gives the agency system's service account border-agent and no sector", async () => {
    const { claims, signed } = inspect(await agencyToken(), keys);

    expect(signed).toBe(true);
    expect(claims.iss).toBe(issuer);
    expect([claims.aud].flat()).toContain(API_AUDIENCE);
    expect(claims.roles).toEqual(expect.arrayContaining(['border-agent']));
    expect(claims.sector).toBeUndefined();
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
      client_id: 'agency-system',
      client_secret: 'not-the-secret',
    });

    expect(wrongPassword).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: 'unauthorized_client' } });
  });

  it('does not verify a token whose claims were changed after signing', async () => {
    const [header, payload, signature] = (await demoUserToken('health-caseworker-los-planes')).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sector: 'protection' })).toString('base64url');

    expect(inspect(`${header}.${forged}.${signature}`, keys).signed).toBe(false);
  });
});
