import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { describeError, isPermanentDatabaseError } from '@ruta/persistence';
import type { FastifyReply } from 'fastify';

/**
 * What an answer says when the error is not one of Ruta's own problems: fixed text, since the
 * framework's messages repeat what the client sent (a path, a query string, a media type).
 */
const FIXED_DETAIL: Partial<Record<number, string>> = {
  400: 'the request is not valid',
  404: 'no such resource',
  405: 'this method is not allowed here',
  408: 'the request took too long to arrive',
  413: 'the body is too large',
  415: 'the body must be JSON (application/json or application/cloudevents+json)',
  503: 'the service is not ready',
};

/** Every HTTP error as RFC 9457 problem+json; unexpected errors are logged without request data. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // PostgreSQL refusing a value (class 22/23) that came in a request is the client's mistake.
    const refusedValue = !(exception instanceof HttpException) && isPermanentDatabaseError(exception);
    const status =
      exception instanceof HttpException
        ? exception.getStatus()
        : refusedValue
          ? HttpStatus.BAD_REQUEST
          : HttpStatus.INTERNAL_SERVER_ERROR;
    if (!(exception instanceof HttpException)) {
      this.logger.error(`${refusedValue ? 'refused value' : 'unhandled error'}: ${describeError(exception)}`);
    }
    const body = exception instanceof HttpException ? exception.getResponse() : undefined;
    const extra = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const ours = typeof extra.type === 'string' && extra.type.startsWith('urn:ruta:');
    // An overloaded service says when to come back (429/503).
    if (typeof extra.retryAfterSeconds === 'number') void reply.header('Retry-After', String(extra.retryAfterSeconds));
    void reply
      .status(status)
      .header('Content-Type', 'application/problem+json')
      .send({
        type: ours ? extra.type : 'about:blank',
        title: (ours && extra.title) || (HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'error'),
        status,
        detail: ours && status !== 500 ? extra.detail : (FIXED_DETAIL[status] ?? 'internal error'),
        ...(ours && extra.errors ? { errors: extra.errors } : {}),
      });
  }
}
