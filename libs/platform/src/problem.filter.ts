import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { describeError } from '@ruta/persistence';
import type { FastifyReply } from 'fastify';

/** Every HTTP error as RFC 9457 problem+json; unexpected errors are logged without request data. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    if (!(exception instanceof HttpException)) {
      this.logger.error(`unhandled error: ${describeError(exception)}`);
    }
    const body = exception instanceof HttpException ? exception.getResponse() : undefined;
    const extra = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const detail = typeof body === 'string' ? body : (extra.detail ?? extra.message);
    // An overloaded service says when to come back (429/503).
    if (typeof extra.retryAfterSeconds === 'number') void reply.header('Retry-After', String(extra.retryAfterSeconds));
    void reply
      .status(status)
      .header('Content-Type', 'application/problem+json')
      .send({
        type: extra.type ?? 'about:blank',
        title: extra.title ?? HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'error',
        status,
        detail: status === 500 ? 'internal error' : detail,
        ...(extra.errors ? { errors: extra.errors } : {}),
      });
  }
}
