import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '../principal';
import type { Role } from '../roles';

export const PUBLIC_ROUTE = 'ruta:auth:public';
export const REQUIRED_ROLES = 'ruta:auth:roles';

/** Opens a route (or a controller) to callers without a token. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The caller needs at least one of these roles; a route without @Roles or @Public answers 403 to everyone. */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(REQUIRED_ROLES, roles);

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
