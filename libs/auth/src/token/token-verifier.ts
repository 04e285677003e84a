import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { type AuthConfig, jwksUrlOf } from '../config/auth.config';
import { principalFromClaims, type Principal } from '../principal';

/** The realm signs with RS256; accepting fewer algorithms leaves nothing to confuse (alg none, HS*). */
export const ACCEPTED_ALGORITHMS = ['RS256'];

/** Why a token was refused: a word for logs and the answer, never anything the token said. */
export type RefusalReason =
  | 'expired' // exp passed (beyond the skew)
  | 'invalid' // signature, algorithm, issuer, audience, nbf, shape or claims
  | 'unavailable'; // the issuer's keys could not be fetched: not the client's fault

export type Verification = { ok: true; principal: Principal } | { ok: false; reason: RefusalReason; cause: string };

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  jwksUrl: string;
  clockSkewSeconds: number;
  /** Least time between two key set fetches for an unknown kid, in ms (jose's default 30 s). */
  jwksCooldownMs?: number;
  /** How long fetched keys are trusted before a refetch, in ms (jose's default 10 min). */
  jwksMaxAgeMs?: number;
  /** Deadline of one key set fetch, in ms. */
  jwksTimeoutMs?: number;
}

/** Verifies bearer tokens against the issuer's key set (fetched, cached, refetched on rotation). */
export class TokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: TokenVerifierOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: options.jwksMaxAgeMs ?? 600_000,
      timeoutDuration: options.jwksTimeoutMs ?? 5_000,
    });
  }

  static fromConfig(config: AuthConfig): TokenVerifier {
    return new TokenVerifier({
      issuer: config.RUTA_AUTH_ISSUER,
      audience: config.RUTA_AUTH_AUDIENCE,
      jwksUrl: jwksUrlOf(config),
      clockSkewSeconds: config.RUTA_AUTH_CLOCK_SKEW_SECONDS,
    });
  }

  /** The principal of a token in compact form (size and shape already checked by bearerCredentials). */
  async verify(token: string): Promise<Verification> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: this.options.clockSkewSeconds,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      return refusal(error);
    }
    // Keycloak marks access tokens "Bearer"; its ID tokens ("ID") are not for calling APIs.
    if (payload.typ !== undefined && payload.typ !== 'Bearer') return { ok: false, reason: 'invalid', cause: 'typ' };
    const principal = principalFromClaims(payload);
    return principal ? { ok: true, principal } : { ok: false, reason: 'invalid', cause: 'subject-or-client' };
  }
}

/** Names the refusal by jose's error code (or the claim at fault), never by token content. */
function refusal(error: unknown): Verification {
  if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired', cause: 'exp' };
  if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: 'invalid', cause: error.claim };
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return { ok: false, reason: 'unavailable', cause: error.code };
  // A failed key set fetch is a generic JOSE error (non-200) or not a JOSE error at all (network).
  if (!(error instanceof errors.JOSEError) || error.code === 'ERR_JOSE_GENERIC')
    return { ok: false, reason: 'unavailable', cause: 'jwks-fetch' };
  return { ok: false, reason: 'invalid', cause: error.code };
}
