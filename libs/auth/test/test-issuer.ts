import { TokenVerifier, type TokenVerifierOptions } from '../src/token/token-verifier';
import { LoopbackIssuer } from './loopback-issuer';

export { LoopbackIssuer, segment, signingKey, type SigningKey } from './loopback-issuer';

/** The loopback issuer of tests, with a verifier of its tokens as the services build one. */
export class TestIssuer extends LoopbackIssuer {
  /** A verifier of this issuer's tokens for the `ruta-api` audience, 30 s skew unless overridden. */
  verifier(options: Partial<TokenVerifierOptions> = {}): TokenVerifier {
    return new TokenVerifier({
      issuer: this.url,
      audience: 'ruta-api',
      jwksUrl: this.jwksUrl,
      clockSkewSeconds: 30,
      ...options,
    });
  }
}
