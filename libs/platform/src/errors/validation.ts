import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
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

/** Query strings remembered per DTO class (the oldest forgotten first). */
const REMEMBERED_QUERIES = 1000;

const isFlat = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => v === null || typeof v !== 'object');

/**
 * The ValidationPipe, remembering the query DTOs it built: the hottest routes are reads whose
 * query strings repeat (a catalog page), and class-transformer and class-validator cost a
 * seventh of such a request's CPU for the same answer every time. Only flat queries that passed
 * are remembered, and each request gets its own copy; a refused one is validated every time.
 */
export class RememberingValidationPipe extends ValidationPipe {
  private readonly remembered = new Map<unknown, Map<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'query' || !metadata.metatype || !isFlat(value))
      return super.transform(value, metadata);
    const key = JSON.stringify(value);
    let known = this.remembered.get(metadata.metatype);
    const hit = known?.get(key);
    if (hit) return Object.assign(Object.create(Object.getPrototypeOf(hit) as object), hit);
    const built: unknown = await super.transform(value, metadata);
    if (isFlat(built)) {
      if (!known) this.remembered.set(metadata.metatype, (known = new Map()));
      if (known.size >= REMEMBERED_QUERIES) known.delete(known.keys().next().value!);
      known.set(key, Object.assign(Object.create(Object.getPrototypeOf(built) as object), built));
    }
    return built;
  }
}

/** The global pipe: unknown fields are rejected (a client never sends a price we would ignore). */
export function createValidationPipe(): ValidationPipe {
  return new RememberingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException({ code: 'VALIDATION_FAILED', message: validationMessages(errors) }),
  });
}
