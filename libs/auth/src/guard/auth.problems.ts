import { ForbiddenException, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';

/** The realm named in WWW-Authenticate challenges (RFC 6750 3). */
export const AUTH_REALM = 'ruta';

/** RFC 6750 3.1: a request without credentials gets a bare challenge, a bad token error="invalid_token". */
export function challenge(error?: 'invalid_token' | 'insufficient_scope', description?: string): string {
  const parts = [`realm="${AUTH_REALM}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description}"`);
  return `Bearer ${parts.join(', ')}`;
}

// Fixed texts only: nothing from the token or its claims reaches an answer.
export const missingToken = () =>
  new UnauthorizedException({
    type: 'urn:ruta:problem:unauthorized',
    title: 'unauthorized',
    detail: 'a bearer token is required',
  });

export const badToken = (expired: boolean) =>
  new UnauthorizedException({
    type: 'urn:ruta:problem:unauthorized',
    title: 'unauthorized',
    detail: expired ? 'the bearer token has expired' : 'the bearer token is not valid',
  });

export const missingRole = () =>
  new ForbiddenException({
    type: 'urn:ruta:problem:forbidden',
    title: 'forbidden',
    detail: 'this route needs a role the caller does not have',
  });

/** The issuer's keys are out of reach: the client may retry; its token was not judged. */
export const keysUnavailable = () =>
  new ServiceUnavailableException({
    type: 'urn:ruta:problem:auth-unavailable',
    title: 'service unavailable',
    detail: 'the token cannot be verified now',
    retryAfterSeconds: 5,
  });
