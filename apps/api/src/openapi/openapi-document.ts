import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import type { AppConfig } from '#libs/config';
import { httpStatusOf, IS_PUBLIC, registeredErrorCodes, type ErrorCode } from '#libs/platform';
import { ORDER_EVENT_SCHEMA } from '../orders/dto/order-event.dto.js';
import { apiErrorCodesOf, ErrorBodyDto, StockShortageDto } from './api-errors.decorator.js';
import { exampleOf } from './schema-examples.js';

/** Every tag an operation may use, with what a reader finds there. */
const TAGS: Record<string, string> = {
  auth: 'Sign-up, sign-in, token refresh (rotation with reuse detection) and sign-out',
  catalog: 'What is sold near a location: stores, categories, products (no token needed)',
  orders: "A customer's orders: place (Idempotency-Key), follow, cancel",
  cart: "The customer's cart, priced on the server: lines, address, promo code, checkout",
  rider: "A rider's assigned orders",
  admin: 'Store staff and admins: users, catalog, stock, every order',
  notifications: "The signed-in user's notifications",
  account:
    "The customer's account: saved addresses, ratings of delivered orders, their data (export, erasure)",
  health: 'Liveness and readiness probes',
};

/** What every route can answer whatever it does (and the 401 of every route that needs a token). */
const EVERYWHERE: ErrorCode[] = [
  'VALIDATION_FAILED',
  'MALFORMED_REQUEST',
  'HEADERS_TOO_LARGE',
  'DATABASE_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
];
const WITH_A_TOKEN: ErrorCode[] = ['UNAUTHORIZED'];
/** What a body can be refused for before any route sees it: Fastify reads one on all but GET. */
const WITH_A_BODY: ErrorCode[] = ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];

/** How a status reads where the bare HTTP reason would say too little. */
const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request (invalid input, NUL characters, JSON nested too deep)',
  413: 'Payload Too Large (a body over BODY_LIMIT, 100 kB unless configured)',
  415: 'Unsupported Media Type (a body the API does not read: send application/json)',
  431: 'Request Header Fields Too Large (a request line or headers over 16 KB)',
  503: 'Service Unavailable (the database is away or rolled the request back for a concurrent one, or this instance is shutting down): retry shortly',
};

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { content?: Record<string, MediaType> };
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
};
type MediaType = { schema?: Record<string, unknown>; example?: unknown; examples?: unknown };

const ERROR_BODY_REF = getSchemaPath(ErrorBodyDto);

/**
 * openapi.json from the code: Nest's scan of the controllers, then the parts a decorator cannot
 * say once for all (docs/api.md, "OpenAPI conventions"): security from @Public(), each route's
 * error responses from the codes its @ApiErrors names, examples built from the schemas. An operation
 * without an explicit operationId and summary, or with an unknown tag, stops the build.
 */
export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('FlashCart API')
    .setDescription(
      'Quick-commerce backend: catalog, dark-store inventory, orders and live tracking. ' +
        'Every error has the body `{ statusCode, error, code, message, requestId }`; branch on ' +
        '`code` (each error response lists its codes). ' +
        'Live order tracking (socket.io, namespace `/tracking`): see the [tracking protocol](/docs/tracking). ' +
        'A typed TypeScript client: `@flashcart/client` (clients/typescript).',
    )
    .setVersion(config.version)
    // UNLICENSED as in package.json: proprietary, no use granted (npm's meaning of the word).
    .setLicense('UNLICENSED', 'https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license')
    .addServer(
      '/',
      'The server that serves this document (locally http://localhost:3000, `make up`)',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer');
  for (const [name, description] of Object.entries(TAGS)) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ErrorBodyDto, StockShortageDto],
  });
  // The document is plain JSON from here on: edited as such.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const schemas = (document.components!.schemas ??= {}) as Record<string, any>;
  schemas[ORDER_EVENT_SCHEMA.name] = ORDER_EVENT_SCHEMA.schema;
  const codesByStatus = errorCodesByStatus();
  schemas.ErrorBody.properties.code.enum = [...codesByStatus.values()].flat().sort();

  const routes = documentedRoutes(app);
  const problems: string[] = [];
  const usedErrorSchemas = new Set<number>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, Operation][]) {
      const where = `${method.toUpperCase()} ${path}`;
      const id = operation.operationId ?? '';
      const route = routes.get(id);
      if (!route)
        problems.push(`${where}: add @ApiOperation({ operationId: 'verbNoun', summary: '…' })`);
      if (!/^[a-z][A-Za-z0-9]+$/.test(id))
        problems.push(`${where}: operationId '${id}' must be camelCase`);
      if (!operation.summary) problems.push(`${where}: the @ApiOperation needs a summary`);
      for (const tag of operation.tags ?? [])
        if (!TAGS[tag]) problems.push(`${where}: tag '${tag}' is not in TAGS`);
      if (!operation.tags?.length) problems.push(`${where}: needs @ApiTags`);

      const isPublic = route?.isPublic ?? false;
      operation.security = isPublic ? [] : [{ bearer: [] }];
      const codes = [
        ...EVERYWHERE,
        ...(isPublic ? [] : WITH_A_TOKEN),
        ...(method === 'get' ? [] : WITH_A_BODY),
        ...(route?.codes ?? []),
      ];
      const byStatus = new Map<number, ErrorCode[]>();
      for (const code of new Set(codes))
        byStatus.set(httpStatusOf(code), [...(byStatus.get(httpStatusOf(code)) ?? []), code]);
      for (const [status, ofStatus] of [...byStatus].sort(([a], [b]) => a - b)) {
        const list = ofStatus.sort();
        // A route that documents this status with a body of its own (health's 503) keeps it.
        const own = operation.responses[status]?.content?.['application/json']?.schema;
        if (own && own.$ref !== ERROR_BODY_REF) continue;
        operation.responses[status] = {
          description: `${DESCRIPTIONS[status] ?? STATUS_CODES[status]}. \`code\`: ${list.join(', ')}`,
          content: {
            'application/json': {
              schema: {
                allOf: [
                  { $ref: `#/components/schemas/${errorSchemaName(status)}` },
                  { type: 'object', properties: { code: { type: 'string', enum: list } } },
                ],
              },
            },
          },
        };
        usedErrorSchemas.add(status);
      }
    }
  }
  if (problems.length > 0)
    throw new Error(`The OpenAPI document is incomplete:\n  ${problems.join('\n  ')}`);

  for (const status of [...usedErrorSchemas].sort()) {
    schemas[errorSchemaName(status)] = {
      description: `The error body of a ${status} (${STATUS_CODES[status]})`,
      allOf: [
        { $ref: ERROR_BODY_REF },
        {
          type: 'object',
          properties: {
            statusCode: { type: 'integer', enum: [status] },
            error: { type: 'string', enum: [STATUS_CODES[status]] },
            code: { type: 'string', enum: codesByStatus.get(status) },
          },
        },
      ],
    };
  }
  addExamples(document);
  return document;
}

/** `ConflictError`, `UnprocessableEntityError`, … */
function errorSchemaName(status: number): string {
  return `${(STATUS_CODES[status] ?? `Status ${status}`)
    .replace(/[^A-Za-z0-9 ]/g, '')
    .replace(/ (\w)/g, (_, c: string) => c.toUpperCase())
    .replace(/ /g, '')}Error`;
}

function errorCodesByStatus(): Map<number, string[]> {
  const byStatus = new Map<number, string[]>();
  for (const [code, status] of registeredErrorCodes()) {
    byStatus.set(status, [...(byStatus.get(status) ?? []), code].sort());
  }
  return byStatus;
}

/**
 * operationId → whether the route is @Public() (read from the same metadata the auth guard
 * reads: a route is documented as needing a token exactly when it does) and the error codes its
 * @ApiErrors name.
 */
function documentedRoutes(
  app: INestApplication,
): Map<string, { isPublic: boolean; codes: ErrorCode[] }> {
  const result = new Map<string, { isPublic: boolean; codes: ErrorCode[] }>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | undefined;
      if (!controller?.prototype) continue;
      const classPublic = Reflect.getMetadata(IS_PUBLIC, controller) === true;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name] as object;
        // @nestjs/swagger's key for @ApiOperation (DECORATORS.API_OPERATION).
        const operation = Reflect.getMetadata('swagger/apiOperation', handler) as
          { operationId?: string } | undefined;
        if (operation?.operationId)
          result.set(operation.operationId, {
            isPublic: classPublic || Reflect.getMetadata(IS_PUBLIC, handler) === true,
            codes: apiErrorCodesOf(controller, handler),
          });
      }
    }
  }
  return result;
}

/** One example per request body and response that has none, built from its schema. */
function addExamples(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      const media = [
        operation.requestBody?.content?.['application/json'],
        ...Object.values(operation.responses).map((r) => r.content?.['application/json']),
      ];
      for (const m of media) {
        if (m?.schema && m.example === undefined && m.examples === undefined)
          m.example = exampleOf(m.schema, document);
      }
    }
  }
}
