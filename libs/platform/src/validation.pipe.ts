import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

function fieldErrors(errors: ValidationError[], prefix = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

/** Strict DTO validation: unknown fields refused, each field at fault named, values never echoed. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const list = fieldErrors(errors);
      return new BadRequestException({
        type: 'urn:ruta:problem:invalid-request',
        title: 'invalid request',
        detail: `fields at fault: ${list.map((e) => e.field).join(', ')}`,
        errors: list,
      });
    },
  });
}
