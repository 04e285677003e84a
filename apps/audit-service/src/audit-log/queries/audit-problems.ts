import { applyDecorators, BadRequestException, HttpException } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_SCHEMA } from '@ruta/platform';

/** AUDIT.NOT_FOUND: what was asked for is not in the log (the detail says which, never echoing the request). */
export function notFound(detail: string, title = 'not in the audit log'): HttpException {
  return new HttpException({ type: 'urn:ruta:problem:audit.not-found', title, detail }, 404);
}

/**
 * The 400 of a rule across fields (which filter, which order), in the validation pipe's shape:
 * each field at fault named with a fixed message, no value repeated.
 */
export function invalidRequest(errors: { field: string; message: string }[]): BadRequestException {
  return new BadRequestException({
    type: 'urn:ruta:problem:invalid-request',
    title: 'invalid request',
    detail: `fields at fault: ${errors.map((e) => e.field).join(', ')}`,
    errors: errors.map(({ field, message }) => ({ field, messages: [message] })),
  });
}

/** Documents a route's AUDIT.NOT_FOUND: problem+json, as ProblemFilter writes it. */
export function ApiAuditNotFound(description: string, detail: string) {
  return applyDecorators(
    ApiResponse({
      status: 404,
      description: `urn:ruta:problem:audit.not-found: ${description}`,
      content: {
        'application/problem+json': {
          schema: PROBLEM_SCHEMA as never,
          example: { type: 'urn:ruta:problem:audit.not-found', title: 'not in the audit log', status: 404, detail },
        },
      },
    }),
  );
}
