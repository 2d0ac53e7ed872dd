import { readFileSync } from 'node:fs';

// A JSON Schema object of any shape.
type Schema = Record<string, any>;

/** The only fractional numbers of the API (money and counts are integers, design.md "Data"): coordinates and a mean score. */
const FRACTIONAL = new Set(['lat', 'lng', 'latitude', 'longitude', 'average']);
const STRING_FORMATS = new Set(['uuid', 'date-time', 'date', 'email', 'uri']);

/**
 * What would make a client's generated types wrong. @nestjs/swagger takes a property's type from
 * TypeScript's `design:type`, which is `Object` for a union (`string | null`: an "object" with the
 * string's format) and `Number` for every number; `type: Object` documents an object with no
 * properties, which openapi-typescript types as `Record<string, never>`, and a schema with no
 * type at all becomes `unknown`. Each finding names where it is and what to write instead.
 */
function schemaProblems(document: Schema): string[] {
  const problems: string[] = [];
  const check = (schema: Schema | undefined, where: string, name?: string): void => {
    if (!schema || typeof schema !== 'object') return;
    if (schema.$ref) return;
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const)
      (schema[key] as Schema[] | undefined)?.forEach((s, i) => check(s, `${where}/${key}/${i}`));
    const composed = Boolean(schema.allOf ?? schema.oneOf ?? schema.anyOf);
    if (!schema.type && !composed && !schema.enum)
      problems.push(`${where}: no type (any value); give @ApiProperty a type`);
    if (schema.format && schema.type !== 'string' && STRING_FORMATS.has(schema.format))
      problems.push(
        `${where}: format ${schema.format} on type ${schema.type}; a \`string | null\` property needs \`type: String\``,
      );
    if (
      schema.type === 'object' &&
      !schema.properties &&
      schema.additionalProperties === undefined &&
      !composed
    )
      problems.push(`${where}: an object with no properties (Record<string, never>); describe it`);
    if (schema.type === 'number' && !FRACTIONAL.has(name ?? ''))
      problems.push(`${where}: type number; an integer (money, counts) needs \`type: 'integer'\``);
    for (const [property, value] of Object.entries((schema.properties ?? {}) as Schema))
      check(value, `${where}/properties/${property}`, property);
    if (schema.items) check(schema.items, `${where}/items`, name);
    if (typeof schema.additionalProperties === 'object')
      check(schema.additionalProperties, `${where}/additionalProperties`, name);
  };

  for (const [name, schema] of Object.entries((document.components?.schemas ?? {}) as Schema))
    check(schema, `#/components/schemas/${name}`);
  for (const [path, item] of Object.entries(document.paths as Schema)) {
    for (const [method, operation] of Object.entries(item as Schema)) {
      const at = `${method.toUpperCase()} ${path}`;
      for (const parameter of (operation.parameters ?? []) as Schema[])
        check(parameter.schema, `${at} ${parameter.in} ${parameter.name}`, parameter.name);
      for (const [type, media] of Object.entries((operation.requestBody?.content ?? {}) as Schema))
        check(media.schema, `${at} request ${type}`);
      for (const [status, response] of Object.entries(operation.responses as Schema))
        for (const [type, media] of Object.entries((response.content ?? {}) as Schema))
          check(media.schema, `${at} ${status} ${type}`);
    }
  }
  return problems;
}

describe('openapi.json schemas', () => {
  it('type every value as the server does (no untyped, empty-object or number-for-integer schema)', () => {
    const document = JSON.parse(readFileSync('openapi.json', 'utf8')) as Schema;
    expect(schemaProblems(document)).toEqual([]);
  });

  it('are checked for what went wrong before: a nullable uuid, an empty object, a number count', () => {
    const document = {
      components: {
        schemas: {
          Category: {
            type: 'object',
            properties: {
              parentId: { type: 'object', format: 'uuid', nullable: true },
              data: { type: 'object' },
              anything: {},
              sortOrder: { type: 'number' },
              lat: { type: 'number' },
              tags: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
      paths: {
        '/v1/things': {
          get: {
            parameters: [{ in: 'query', name: 'limit', schema: { type: 'number' } }],
            responses: {
              '200': { content: { 'application/json': { schema: { type: 'object' } } } },
            },
          },
        },
      },
    };
    expect(schemaProblems(document)).toEqual([
      expect.stringMatching(/^#\/components\/schemas\/Category\/properties\/parentId: format uuid/),
      expect.stringMatching(/parentId: an object with no properties/),
      expect.stringMatching(/data: an object with no properties/),
      expect.stringMatching(/anything: no type/),
      expect.stringMatching(/sortOrder: type number/),
      expect.stringMatching(/^GET \/v1\/things query limit: type number/),
      expect.stringMatching(
        /^GET \/v1\/things 200 application\/json: an object with no properties/,
      ),
    ]);
  });
});
