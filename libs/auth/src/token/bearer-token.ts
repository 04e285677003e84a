/** Largest bearer token read, in bytes: checked before anything parses it (Keycloak's are 1-3 KB). */
export const MAX_TOKEN_BYTES = 8 * 1024;

/** What a request's Authorization header holds. */
export type BearerCredentials =
  | { kind: 'missing' } // no header, or another scheme (RFC 6750 3.1: no error code then)
  | { kind: 'malformed' } // a Bearer header that is not one JWS compact token of bounded size
  | { kind: 'token'; token: string };

// A JWS in compact form: three base64url segments (the signature may be empty; jose refuses that).
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Reads the Authorization header (RFC 6750 2.1); the scheme name is case-insensitive (RFC 9110). */
export function bearerCredentials(header: string | string[] | undefined): BearerCredentials {
  if (Array.isArray(header)) return { kind: 'malformed' };
  if (header === undefined || header.trim() === '') return { kind: 'missing' };
  if (header.length > MAX_TOKEN_BYTES + 64) return { kind: 'malformed' };
  const scheme = /^(\S+)(?: +(.*))?$/s.exec(header.trim());
  if (!scheme || scheme[1].toLowerCase() !== 'bearer') return { kind: 'missing' };
  const token = scheme[2] ?? '';
  if (token.length === 0 || token.length > MAX_TOKEN_BYTES || !COMPACT_JWS.test(token)) return { kind: 'malformed' };
  return { kind: 'token', token };
}
