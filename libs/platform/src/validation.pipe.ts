import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { flattenValidationErrors } from '@ruta/contracts';

/** Strict DTO validation: unknown fields refused, each field at fault named, values never echoed. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const list = flattenValidationErrors(errors);
      return new BadRequestException({
        type: 'urn:ruta:problem:invalid-request',
        title: 'invalid request',
        detail: `fields at fault: ${list.map((e) => e.field).join(', ')}`,
        errors: list,
      });
    },
  });
}
