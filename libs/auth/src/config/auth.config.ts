import { BooleanSetting, CheckedSetting, IntegerSetting, PatternSetting, readUrlSetting } from '@ruta/platform';
import { IsOptional } from 'class-validator';

/** An http(s) URL with a host and neither query nor fragment (an issuer or a key set address). */
function isHttpUrl(value: unknown): true | string {
  if (value === undefined) return 'it is not set';
  const url = readUrlSetting(value, ['https:', 'http:'], 'http or https');
  if (typeof url === 'string') return url;
  return url.search || url.hash || url.username ? 'it has a query, fragment or user' : true;
}

/** Who issues the bearer tokens services accept, and how strictly their times are read. */
export class AuthConfig {
  /** Compared as written with each token's `iss` (Keycloak: `<base>/realms/ruta`); no default on purpose. */
  @CheckedSetting('isIssuerUrl', isHttpUrl, 'an http(s) URL, the issuer exactly as tokens name it')
  RUTA_AUTH_ISSUER: string;

  /** Every token's `aud` must contain it. */
  @PatternSetting(/^[\x21-\x7e]{1,255}$/, '1-255 printable characters without spaces')
  RUTA_AUTH_AUDIENCE = 'ruta-api';

  /** Where the signing keys are; unset: Keycloak's `<issuer>/protocol/openid-connect/certs`. */
  @IsOptional()
  @CheckedSetting('isJwksUrl', isHttpUrl, 'an http(s) URL')
  RUTA_AUTH_JWKS_URL?: string;

  /** Leeway for `exp` and `nbf` between our clock and the issuer's. */
  @IntegerSetting(0, 300)
  RUTA_AUTH_CLOCK_SKEW_SECONDS = 30;
}

/**
 * Who may read the operational routes (/health/*, /metrics): apart from AuthConfig so that it has
 * a default without an issuer, and so that a service reads it whether it verifies tokens or not.
 */
export class OpsEndpointsConfig {
  /** true: open to anyone who reaches the port; false: a token with role `admin` is needed. */
  @BooleanSetting()
  RUTA_OPEN_OPS_ENDPOINTS = true;
}

/** The key set address: the configured one, or Keycloak's for the issuer. */
export function jwksUrlOf(config: AuthConfig): string {
  return config.RUTA_AUTH_JWKS_URL ?? `${config.RUTA_AUTH_ISSUER.replace(/\/+$/, '')}/protocol/openid-connect/certs`;
}
