import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import type { FieldError } from '@ruta/contracts';

/** The intake routes read their body as JSON text themselves (bounded): see intakeHttpOptions. */
export function requireJsonText(body: unknown): string {
  if (typeof body === 'string') return body;
  throw invalidRequest([
    { field: '', messages: ['the body must be JSON (application/json or application/cloudevents+json)'] },
  ]);
}

export function invalidRequest(
  errors: FieldError[],
  type = 'urn:ruta:problem:invalid-request',
  title = 'invalid request',
): HttpException {
  return new BadRequestException({
    type,
    title,
    detail: `fields at fault: ${errors.map((e) => e.field || '(body)').join(', ')}`,
    errors,
  });
}

export function batchTooLarge(maxEvents: number): HttpException {
  return new HttpException(
    {
      type: 'urn:ruta:problem:intake.batch-too-large',
      title: 'batch too large',
      detail: `at most ${maxEvents} events per batch`,
      errors: [{ field: 'events', messages: [`at most ${maxEvents} events per batch`] }],
    },
    HttpStatus.PAYLOAD_TOO_LARGE,
  );
}
