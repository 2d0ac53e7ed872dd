import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ??
  addFormatsImport) as unknown as (ajv: Ajv) => Ajv;

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  schema: Record<string, any>;
}

export interface OpenApiOperation {
  method: string;
  /** As in the document, e.g. `/v1/orders/{id}`. */
  path: string;
  parameters: OpenApiParameter[];
  requestBody?: Record<string, any>;
  responses: Record<string, any>;
  security: boolean;
}

/** openapi.json, as `make openapi` wrote it (a test fails when it is stale). */
export const openApiDocument: Record<string, any> = JSON.parse(
  readFileSync(join(process.cwd(), 'openapi.json'), 'utf8'),
);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openApiDocument, 'openapi.json');

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const compiled = new Map<string, ValidateFunction>();

/** Every operation of the document, with its parameters, body and responses. */
export function operations(): OpenApiOperation[] {
  return Object.entries(openApiDocument.paths as Record<string, Record<string, any>>).flatMap(
    ([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []) as OpenApiParameter[],
        requestBody: op.requestBody,
        responses: op.responses,
        security: Array.isArray(op.security) && op.security.length > 0,
      })),
  );
}

/** A component schema (or any schema) with its `$ref`s resolved one level. */
export function resolveSchema(schema: Record<string, any>): Record<string, any> {
  const ref = schema.$ref as string | undefined;
  if (!ref) return schema;
  const name = ref.replace('#/components/schemas/', '');
  return openApiDocument.components.schemas[name];
}

/**
 * Checks one response against openapi.json: its status must be documented for the operation and
 * its body valid against that status's schema (no body when the status documents none). Returns
 * the problems found, empty when the response is valid.
 */
export function validateResponse(
  method: string,
  path: string,
  status: number,
  body: unknown,
): string[] {
  const op = openApiDocument.paths[path]?.[method.toLowerCase()];
  if (!op) return [`${method.toUpperCase()} ${path} is not in openapi.json`];
  const response = op.responses?.[String(status)];
  if (!response) return [`status ${status} is not documented for ${method.toUpperCase()} ${path}`];
  const schema = response.content?.['application/json']?.schema;
  if (!schema) {
    return body === '' || body === undefined || body === null
      ? []
      : [`status ${status} documents no body, got ${JSON.stringify(body).slice(0, 200)}`];
  }
  const key = `openapi.json#/${pointer('paths', path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({ $ref: key });
    compiled.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
  );
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Documented paths as patterns, the ones with fewer parameters first (`/v1/orders/mine` before `{id}`). */
const templates = Object.keys(openApiDocument.paths as Record<string, unknown>)
  .map((template) => ({
    template,
    params: (template.match(/\{/g) ?? []).length,
    pattern: new RegExp(`^${escapeRegExp(template).replace(/\\\{[^/]+?\\\}/g, '[^/]+')}$`),
  }))
  .sort((a, b) => a.params - b.params);

/** The documented operation a request hits, as its path template; undefined when none. */
export function documentedTemplate(method: string, url: string): string | undefined {
  const path = url.split('?')[0];
  return templates.find(
    (t) => t.pattern.test(path) && openApiDocument.paths[t.template][method.toLowerCase()],
  )?.template;
}

/**
 * Throws on a response that openapi.json does not describe (used by HttpClient for every e2e
 * request to a documented operation, so a test fails on the first mismatch).
 */
export function assertDocumentedResponse(
  method: string,
  url: string,
  status: number,
  body: unknown,
): void {
  const template = documentedTemplate(method, url);
  if (!template) return;
  const problems = validateResponse(method, template, status, body);
  if (problems.length > 0) {
    throw new Error(
      `${method.toUpperCase()} ${url} → ${status} does not match openapi.json (${template}):\n  ` +
        `${problems.join('\n  ')}\nbody: ${JSON.stringify(body).slice(0, 1000)}`,
    );
  }
}
