import {
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import type { Sector } from '@ruta/contracts';
import type { Role } from '../roles';
import { canSeeSector } from '../scope/casework-scope';
import { bearerCredentials } from '../token/bearer-token';
import { TokenVerifier } from '../token/token-verifier';
import { attachPrincipal, PUBLIC_ROUTE, REQUIRED_ROLES, SECTOR_SCOPE } from './auth.decorators';
import { badToken, challenge, keysUnavailable, missingRole, missingToken } from './auth.problems';

// Outcomes only (a fixed set): a refused token's cause goes to the debug log, its content nowhere.
const refusals = new Counter({
  name: 'ruta_auth_refusals_total',
  help: 'Requests refused by the auth guard, by outcome (missing, invalid, expired, unavailable, forbidden, hidden)',
  labelNames: ['outcome'],
});

/** The operational controllers (health, metrics), which cannot carry @Public or @Roles, and who may read them. */
export const OPS_ACCESS = Symbol('OPS_ACCESS');
export interface OpsAccess {
  controllers: ReadonlySet<Type>;
  /** true: open without a token (RUTA_OPEN_OPS_ENDPOINTS); false: role `admin`. */
  open: boolean;
}
const OPS_ROLES: Role[] = ['admin'];

/**
 * Every route needs a valid bearer token and one of its @Roles, unless it is @Public: 401 without
 * a valid token, 403 without the role, 503 while the issuer's keys are out of reach, and 404 on a
 * @SectorScope route of a sector the caller may not see.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');
  private readonly warnedRoutes = new Set<string>();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    @Inject(OPS_ACCESS) private readonly ops: OpsAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false; // closed: an RPC or WebSocket entry needs a check of its own
    const targets = [context.getHandler(), context.getClass()];
    const ops = this.ops.controllers.has(context.getClass());
    if (ops && this.ops.open) return true;
    if (!ops && this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const credentials = bearerCredentials(request.headers.authorization);
    if (credentials.kind === 'missing') {
      refusals.inc({ outcome: 'missing' });
      void reply.header('WWW-Authenticate', challenge());
      throw missingToken();
    }
    const verification =
      credentials.kind === 'token'
        ? await this.verifier.verify(credentials.token)
        : ({ ok: false, reason: 'invalid', cause: 'header' } as const);
    if (!verification.ok) {
      refusals.inc({ outcome: verification.reason });
      if (verification.reason === 'unavailable') {
        this.logger.error(`token not verified: the issuer's keys are out of reach (${verification.cause})`);
        throw keysUnavailable();
      }
      this.logger.debug(`token refused: ${verification.cause}`);
      const expired = verification.reason === 'expired';
      void reply.header('WWW-Authenticate', challenge('invalid_token', expired ? 'the token expired' : undefined));
      throw badToken(expired);
    }
    attachPrincipal(request, verification.principal);

    const needed = ops ? OPS_ROLES : this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (!needed) this.warnOnce(context);
    if (!needed?.some((role) => verification.principal.roles.includes(role))) {
      refusals.inc({ outcome: 'forbidden' });
      void reply.header('WWW-Authenticate', challenge('insufficient_scope'));
      throw missingRole();
    }
    const sector = this.reflector.getAllAndOverride<Sector | undefined>(SECTOR_SCOPE, targets);
    if (sector && !canSeeSector(verification.principal, sector)) {
      refusals.inc({ outcome: 'hidden' });
      // The framework's own 404: the same answer as a path that does not exist.
      throw new NotFoundException();
    }
    return true;
  }

  // Closed by default: a route that names no roles is a mistake to fix, said once per route.
  private warnOnce(context: ExecutionContext): void {
    const route = `${context.getClass().name}.${context.getHandler().name}`;
    if (this.warnedRoutes.has(route)) return;
    this.warnedRoutes.add(route);
    this.logger.error(`${route} declares neither @Roles nor @Public: it answers 403 to every caller`);
  }
}
