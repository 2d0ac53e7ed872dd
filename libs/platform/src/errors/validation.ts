import { BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** "address.lat must not be greater than 90": each message names the full path of its field. */
export function validationMessages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      parent ? `${parent}.${text}` : text,
    );
    return [...own, ...validationMessages(error.children ?? [], path)];
  });
}

/** The global pipe: unknown fields are rejected (a client never sends a price we would ignore). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException({ code: 'VALIDATION_FAILED', message: validationMessages(errors) }),
  });
}
