import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { ValidateIf, type ValidationError } from 'class-validator';

/**
 * A field that may be left out. Unlike class-validator's `@IsOptional()`, an explicit null is
 * not "left out": it is validated like any value (and refused unless the field allows null);
 * `{ "role": null }` had passed and reached a NOT NULL column (500). Use `@IsOptional()` only
 * where null is a documented value (it clears the field).
 */
export const Optional = (): PropertyDecorator =>
  ValidateIf((_object, value) => value !== undefined);

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
