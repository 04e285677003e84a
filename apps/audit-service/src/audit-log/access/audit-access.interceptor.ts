import {
  HttpException,
  HttpStatus,
  Injectable,
  RequestMethod,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { principalOf } from '@ruta/auth';
import type { FastifyRequest } from 'fastify';
import { catchError, from, map, mergeMap, type Observable } from 'rxjs';
import { AuditAccessRecorder } from './audit-access.recorder';
import type { AuditCall } from './audit-access.message';

/** Every route under this prefix reads the audit log. */
const AUDIT_ROUTES_PREFIX = '/v1/audit/';

/**
 * Logs every authenticated call of an audit route as audit.accessed, before its answer leaves
 * (a streamed answer: before its first byte), so no route can forget it. Registered for the whole
 * app and keyed on the route prefix, a new audit route is logged without asking. A call the
 * request's validation refused (400) read nothing and is not logged; a not-found is (it tells
 * the auditor something). Open routes (the public key) have no caller to name.
 */
@Injectable()
export class AuditAccessInterceptor implements NestInterceptor {
  constructor(
    private readonly recorder: AuditAccessRecorder,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = principalOf(request);
    const template = request.routeOptions.url;
    if (!principal || !template?.startsWith(AUDIT_ROUTES_PREFIX)) return next.handle();
    const call = (status: number): AuditCall => ({
      actor: principal.subject,
      route: `${request.method} ${template}`,
      parameters: { ...(request.params as object), ...(request.query as object) },
      status,
    });
    // Errors first, so a failure to record a success is not recorded again as a failed call.
    return next.handle().pipe(
      catchError((error: unknown) => {
        const status = error instanceof HttpException ? error.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
        if (status === HttpStatus.BAD_REQUEST) throw error;
        return from(this.recorder.record(call(status))).pipe(
          mergeMap(() => {
            throw error;
          }),
        );
      }),
      mergeMap((answer) => from(this.recorder.record(call(this.successStatus(context)))).pipe(map(() => answer))),
    );
  }

  /** The status the route answers with: its @HttpCode, else Nest's default (201 for POST). */
  private successStatus(context: ExecutionContext): number {
    const handler = context.getHandler();
    const code = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler);
    if (code !== undefined) return code;
    return this.reflector.get<RequestMethod>(METHOD_METADATA, handler) === RequestMethod.POST ? 201 : 200;
  }
}
