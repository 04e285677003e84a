import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblems } from '@ruta/platform';
import type { Sector } from '@ruta/contracts';
import type { Principal } from '../principal';
import type { Role } from '../roles';

export const PUBLIC_ROUTE = 'ruta:auth:public';
export const REQUIRED_ROLES = 'ruta:auth:roles';
export const SECTOR_SCOPE = 'ruta:auth:sector';

/** Opens a route (or a controller) to callers without a token. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The caller needs at least one of these roles; a route without @Roles or @Public answers 403 to
 * everyone. Also documents the route in OpenAPI: bearer security, and its 401 and 403 problems.
 */
export const Roles = (...roles: [Role, ...Role[]]) =>
  applyDecorators(SetMetadata(REQUIRED_ROLES, roles), ApiBearerAuth(), ApiProblems('unauthorized', 'forbidden'));

/**
 * Everything under this controller (or route) belongs to `sector`: a caller who may not see that
 * sector (canSeeSector) gets the 404 of an unknown path, before the request is even validated, so
 * nothing confirms what exists there. Goes with @Roles; the handler still narrows by service point.
 */
export const SectorScope = (sector: Sector) =>
  applyDecorators(SetMetadata(SECTOR_SCOPE, sector), ApiProblems('notFound'));

// Requests are keyed weakly, so a principal lives exactly as long as its request.
const principals = new WeakMap<object, Principal>();

export function attachPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

/** The principal the guard verified for this request, if any. */
export function principalOf(request: object): Principal | undefined {
  return principals.get(request);
}

/** The verified caller, as a handler parameter; only on routes that are not @Public. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = principalOf(context.switchToHttp().getRequest<object>());
  // A handler asking for a caller on an open route is a programming error, not the client's.
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});
