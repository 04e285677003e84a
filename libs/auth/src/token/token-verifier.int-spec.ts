import { exportSPKI, importJWK, SignJWT } from 'jose';
import { segment, signingKey, TestIssuer } from '../../test/test-issuer';
import type { TokenVerifierOptions } from './token-verifier';

describe('TokenVerifier against a JWKS served over loopback HTTP', () => {
  let issuer: TestIssuer;
  const now = () => Math.floor(Date.now() / 1000);
  const verifier = (options: Partial<TokenVerifierOptions> = {}) => issuer.verifier(options);
  const refusal = async (token: string, v = verifier()) => {
    const result = await v.verify(token);
    return result.ok ? 'accepted' : `${result.reason}:${result.cause}`;
  };

  beforeEach(async () => {
    issuer = await TestIssuer.start();
  });
  afterEach(() => issuer.stop());

  it('turns a valid token into its principal, known roles only', async () => {
    const result = await verifier().verify(
      await issuer.token({ realm_access: { roles: ['caseworker', 'root', 'supervisor'] } }),
    );
    expect(result).toEqual({
      ok: true,
      principal: {
        subject: 'user-1',
        roles: ['caseworker', 'supervisor'],
        sector: 'health',
        servicePointId: 'lajas-blancas-health',
        clientId: 'ruta-web',
      },
    });
  });

  it('accepts a single audience string and a service account without sector', async () => {
    const token = await issuer.token({
      aud: 'ruta-api',
      azp: 'agency-system',
      sector: undefined,
      service_point: undefined,
      realm_access: { roles: ['border-agent'] },
    });
    expect(await verifier().verify(token)).toEqual({
      ok: true,
      principal: { subject: 'user-1', roles: ['border-agent'], clientId: 'agency-system' },
    });
  });

  it('bounds the clock skew for exp and nbf', async () => {
    expect(await refusal(await issuer.token({ exp: now() - 20 }))).toBe('accepted');
    expect(await refusal(await issuer.token({ exp: now() - 40 }))).toBe('expired:exp');
    expect(await refusal(await issuer.token({ exp: now() - 20 }), verifier({ clockSkewSeconds: 0 }))).toBe(
      'expired:exp',
    );
    expect(await refusal(await issuer.token({ nbf: now() + 20 }))).toBe('accepted');
    expect(await refusal(await issuer.token({ nbf: now() + 40 }))).toBe('invalid:nbf');
  });

  it('refuses another issuer, another audience, a token without exp, and tokens that are not access tokens', async () => {
    expect(await refusal(await issuer.token({ iss: 'http://127.0.0.1:1/realms/ruta' }))).toBe('invalid:iss');
    expect(await refusal(await issuer.token({ iss: `${issuer.url}/` }))).toBe('invalid:iss');
    expect(await refusal(await issuer.token({ aud: ['account', 'other-api'] }))).toBe('invalid:aud');
    expect(await refusal(await issuer.token({ exp: undefined }))).toBe('invalid:exp');
    expect(await refusal(await issuer.token({ typ: 'ID' }))).toBe('invalid:typ');
    expect(await refusal(await issuer.token({ azp: undefined }))).toBe('invalid:subject-or-client');
  });

  it('refuses alg none', async () => {
    const unsigned = `${segment({ alg: 'none', typ: 'JWT' })}.${segment(issuer.claims())}.`;
    expect(await refusal(unsigned)).toMatch(/^invalid:/);
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const publicPem = await exportSPKI(
      (await importJWK(issuer.key.publicJwk, 'RS256', { extractable: true })) as never,
    );
    for (const secret of [publicPem, JSON.stringify(issuer.key.publicJwk)]) {
      const token = await new SignJWT(issuer.claims())
        .setProtectedHeader({ alg: 'HS256', kid: issuer.key.kid })
        .sign(new TextEncoder().encode(secret));
      expect(await refusal(token)).toBe('invalid:ERR_JOSE_ALG_NOT_ALLOWED');
    }
  });

  it("refuses RS256 signed by another key under the issuer key's kid, and a tampered payload", async () => {
    const attacker = await signingKey(issuer.key.kid);
    expect(await refusal(await issuer.token({}, attacker))).toBe('invalid:ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    const [header, , signature] = (await issuer.token()).split('.');
    const raised = segment(issuer.claims({ realm_access: { roles: ['admin'] }, sector: 'protection' }));
    expect(await refusal(`${header}.${raised}.${signature}`)).toBe('invalid:ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('refuses garbled tokens as invalid, never as an outage', async () => {
    const [header, payload] = (await issuer.token()).split('.');
    for (const token of [
      `${header}.${segment('x')}.AAAA`,
      `${segment('x')}.${payload}.AAAA`,
      'a.b.c',
      `${header}.%%%.AAAA`,
    ])
      expect(await refusal(token)).toMatch(/^invalid:/);
  });

  it('refetches the key set once for an unknown kid, then refuses; not again within the cooldown', async () => {
    const v = verifier({ jwksCooldownMs: 300 });
    expect(await refusal(await issuer.token(), v)).toBe('accepted');
    expect(issuer.fetches).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const stranger = await signingKey('unknown-kid');
    expect(await refusal(await issuer.token({}, stranger), v)).toBe('invalid:ERR_JWKS_NO_MATCHING_KEY');
    expect(issuer.fetches).toBe(2);
    expect(await refusal(await issuer.token({}, stranger), v)).toBe('invalid:ERR_JWKS_NO_MATCHING_KEY');
    expect(issuer.fetches).toBe(2);
  });

  it('picks up a rotated key once the cooldown has passed', async () => {
    const v = verifier({ jwksCooldownMs: 300 });
    expect(await refusal(await issuer.token(), v)).toBe('accepted');
    const next = await signingKey('test-key-2');
    issuer.publish(issuer.key, next);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await refusal(await issuer.token({}, next), v)).toBe('accepted');
    expect(issuer.fetches).toBe(2);
  });

  it('calls an unreachable key set an outage, not a bad token', async () => {
    issuer.status = 503;
    expect(await refusal(await issuer.token())).toBe('unavailable:jwks-fetch');
    expect(await refusal(await issuer.token(), verifier({ jwksUrl: 'http://127.0.0.1:1/certs' }))).toBe(
      'unavailable:jwks-fetch',
    );
  });
});
