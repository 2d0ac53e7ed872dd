import type { OpenAPIObject } from '@nestjs/swagger';

// A JSON Schema object of any shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;

const BY_FORMAT: Record<string, string> = {
  uuid: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  'date-time': '2026-11-26T10:00:00.000Z',
  date: '2026-11-26',
  email: 'asha@example.com',
  uri: 'https://flashcart.example/image.jpg',
};

/**
 * An example value for a schema, from the `example`s of its properties (DTOs set them) and, where
 * none is given, a plain value of the right type. Objects carry their required properties and
 * those with an example. redocly's no-invalid-media-type-examples checks the result against the
 * schema (`make lint`).
 */
export function exampleOf(schema: Schema, document: OpenAPIObject, depth = 0): unknown {
  if (depth > 8) return undefined;
  const resolved = resolve(schema, document);
  if (resolved.example !== undefined) return resolved.example;
  const next = (s: Schema) => exampleOf(s, document, depth + 1);
  if (resolved.allOf) {
    return Object.assign({}, ...(resolved.allOf as Schema[]).map(next).filter(isObject));
  }
  if (resolved.oneOf ?? resolved.anyOf) return next((resolved.oneOf ?? resolved.anyOf)[0]);
  if (resolved.enum) return (resolved.enum as unknown[]).find((v) => v !== null) ?? null;
  switch (resolved.type) {
    case 'array': {
      const item = next(resolved.items ?? {});
      return item === undefined ? [] : [item];
    }
    case 'string': {
      if (resolved.format && BY_FORMAT[resolved.format]) return BY_FORMAT[resolved.format];
      const text = 'string';
      return text.padEnd(resolved.minLength ?? 0, 'x').slice(0, resolved.maxLength ?? 1000);
    }
    case 'integer':
    case 'number':
      return Math.min(resolved.minimum ?? 1, resolved.maximum ?? Infinity);
    case 'boolean':
      return true;
    default:
      if (resolved.properties) return objectExample(resolved, next, document);
      return resolved.nullable ? null : {};
  }
}

function objectExample(
  schema: Schema,
  next: (s: Schema) => unknown,
  document: OpenAPIObject,
): Record<string, unknown> {
  const required = new Set<string>(schema.required ?? []);
  const entries = Object.entries(schema.properties as Record<string, Schema>);
  const shown = entries.filter(([name, p]) => required.has(name) || hasExample(p, document));
  const result: Record<string, unknown> = {};
  for (const [name, property] of shown.length > 0 ? shown : entries) {
    const value = next(property);
    if (value !== undefined) result[name] = value;
  }
  return result;
}

function hasExample(schema: Schema, document: OpenAPIObject): boolean {
  return resolve(schema, document).example !== undefined;
}

function resolve(schema: Schema, document: OpenAPIObject): Schema {
  const ref = schema.$ref as string | undefined;
  if (!ref) return schema;
  const name = ref.replace('#/components/schemas/', '');
  return (document.components?.schemas?.[name] as Schema | undefined) ?? {};
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
