import { checkConfig, readConfig, variablesOf } from '@ruta/platform';
import { AuthConfig, jwksUrlOf, OpsEndpointsConfig } from './auth.config';

const ISSUER = 'http://127.0.0.1:8080/realms/ruta';
const faults = (env: NodeJS.ProcessEnv) => checkConfig([AuthConfig], env).map((f) => `${f.variable} ${f.rule}`);

describe('AuthConfig', () => {
  it('needs the issuer, and defaults the rest', () => {
    expect(faults({})).toEqual([
      'RUTA_AUTH_ISSUER must be an http(s) URL, the issuer exactly as tokens name it (it is not set)',
    ]);
    const config = readConfig(AuthConfig, { RUTA_AUTH_ISSUER: ISSUER });
    expect({ ...config }).toEqual({
      RUTA_AUTH_ISSUER: ISSUER,
      RUTA_AUTH_AUDIENCE: 'ruta-api',
      RUTA_AUTH_CLOCK_SKEW_SECONDS: 30,
    });
    expect(jwksUrlOf(config)).toBe(`${ISSUER}/protocol/openid-connect/certs`);
    expect(
      jwksUrlOf(readConfig(AuthConfig, { RUTA_AUTH_ISSUER: ISSUER, RUTA_AUTH_JWKS_URL: 'http://kc:8080/certs' })),
    ).toBe('http://kc:8080/certs');
  });

  it.each([
    [
      'RUTA_AUTH_ISSUER',
      ['keycloak/realms/ruta', 'ftp://h/realms/ruta', `${ISSUER}?x=1`, 'https://u:p@h/r'],
      [ISSUER, 'https://id.example.org/'],
    ],
    [
      'RUTA_AUTH_JWKS_URL',
      ['certs', 'file:///etc/jwks.json'],
      ['http://keycloak:8080/realms/ruta/protocol/openid-connect/certs'],
    ],
    ['RUTA_AUTH_AUDIENCE', ['ruta api', 'x'.repeat(256)], ['ruta-api', 'https://api.ruta.example']],
    ['RUTA_AUTH_CLOCK_SKEW_SECONDS', ['-1', '301', '30s'], ['0', '300']],
  ])('%s refuses what breaks its rule and takes what keeps it', (variable, bad, good) => {
    for (const value of bad)
      expect(faults({ RUTA_AUTH_ISSUER: ISSUER, [variable]: value })).toEqual([
        expect.stringMatching(`^${variable} must be `),
      ]);
    for (const value of good) expect(faults({ RUTA_AUTH_ISSUER: ISSUER, [variable]: value })).toEqual([]);
  });

  it('RUTA_OPEN_OPS_ENDPOINTS is true by default, and takes only true or false', () => {
    expect(readConfig(OpsEndpointsConfig, {}).RUTA_OPEN_OPS_ENDPOINTS).toBe(true);
    expect(readConfig(OpsEndpointsConfig, { RUTA_OPEN_OPS_ENDPOINTS: 'false' }).RUTA_OPEN_OPS_ENDPOINTS).toBe(false);
    expect(readConfig(OpsEndpointsConfig, { RUTA_OPEN_OPS_ENDPOINTS: 'true' }).RUTA_OPEN_OPS_ENDPOINTS).toBe(true);
    for (const value of ['yes', '0', 'FALSE', 'off'])
      expect(checkConfig([OpsEndpointsConfig], { RUTA_OPEN_OPS_ENDPOINTS: value })).toEqual([
        { variable: 'RUTA_OPEN_OPS_ENDPOINTS', rule: 'must be true or false' },
      ]);
  });

  it('declares the four variables', () => {
    expect(variablesOf(AuthConfig).sort()).toEqual([
      'RUTA_AUTH_AUDIENCE',
      'RUTA_AUTH_CLOCK_SKEW_SECONDS',
      'RUTA_AUTH_ISSUER',
      'RUTA_AUTH_JWKS_URL',
    ]);
  });
});
