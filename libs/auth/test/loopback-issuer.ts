import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** An RS256 key pair with its kid, as an issuer (or an attacker) holds it. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/**
 * A token issuer on loopback: a real HTTP server serving its JWKS (counting fetches), and tokens
 * minted with the claims the Keycloak realm issues. No Keycloak needed. Imports nothing of Ruta's,
 * so that tools compiled apart (the bench) can run it too; tests use TestIssuer, which adds a verifier.
 */
export class LoopbackIssuer {
  /** Key set fetches served so far. */
  fetches = 0;
  /** Status the key set answers with (503 to play an outage). */
  status = 200;
  private published: SigningKey[];

  private readonly server: Server;

  constructor(readonly key: SigningKey) {
    this.published = [key];
    this.server = createServer((request, response) => {
      if (request.url !== '/realms/ruta/protocol/openid-connect/certs') return response.writeHead(404).end();
      this.fetches += 1;
      response.writeHead(this.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: this.published.map((k) => k.publicJwk) }));
    });
  }

  static async start<T extends LoopbackIssuer>(this: new (key: SigningKey) => T): Promise<T> {
    const issuer = new this(await signingKey('test-key-1'));
    await new Promise<void>((resolve) => issuer.server.listen(0, '127.0.0.1', resolve));
    return issuer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/realms/ruta`;
  }

  get jwksUrl(): string {
    return `${this.url}/protocol/openid-connect/certs`;
  }

  /** Replaces the published keys (rotation). */
  publish(...keys: SigningKey[]): void {
    this.published = keys;
  }

  /** Claims of a health caseworker at lajas-blancas-health, issued now for five minutes. */
  claims(overrides: JWTPayload = {}): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: this.url,
      aud: ['ruta-api', 'account'],
      sub: 'user-1',
      azp: 'ruta-web',
      typ: 'Bearer',
      iat: now,
      exp: now + 300,
      realm_access: { roles: ['caseworker', 'offline_access'] },
      sector: 'health',
      service_point: 'lajas-blancas-health',
      ...overrides,
    };
  }

  /** A token with these claims (see claims()), signed RS256 by `key` (the issuer's by default). */
  async token(overrides: JWTPayload = {}, key: SigningKey = this.key): Promise<string> {
    return new SignJWT(this.claims(overrides))
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** base64url of a JSON value, for hand-built tokens. */
export const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
