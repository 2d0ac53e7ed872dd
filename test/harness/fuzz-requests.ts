import fc from 'fast-check';
import { CONSOLE_PAGES } from '../../apps/api/src/pages/console-pages.js';
import { VENDOR_FILES, VENDOR_PREFIX } from '../../apps/api/src/pages/vendor-modules.js';
import { openApiDocument, resolveSchema, type OpenApiOperation } from './openapi.js';

/** Who may send a request: seeded users (and hostile tokens). */
export type Principal = 'none' | 'customerA' | 'customerB' | 'admin' | 'rider' | 'forged';

/** Ids that exist, so that valid requests can succeed. */
export interface FuzzWorld {
  productIds: string[];
  storeIds: string[];
  categoryIds: string[];
  riderId: string;
  /** A user the fuzzer may disable or demote (never a seeded principal). */
  victimUserId: string;
  /** Orders of customer A (so B asking for them must get 404) and of B. */
  ordersOfA: string[];
  ordersOfB: string[];
  storeLat: number;
  storeLng: number;
}

export interface FuzzRequest {
  method: string;
  /** The document's path, e.g. /v1/orders/{id}. */
  template: string;
  /** The concrete path with query string. */
  url: string;
  principal: Principal;
  headers: Record<string, string>;
  /** Raw body text (already JSON, possibly hostile). */
  body?: string;
  /** Path ids that belong to customer A, for the "someone else's order is 404" check. */
  foreignOrder: boolean;
}

const uuidArb = fc.uuid({ version: 4 });
const deepNest = (depth: number, leaf: unknown = 1): unknown =>
  Array.from({ length: depth }).reduce<unknown>((inner) => ({ a: inner }), leaf);

/** Strings that broke, or might break, something: NUL, controls, length, encodings, injections. */
export const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u0001\u0002\u0007\b\t\n\r\u001b\u007f',
    '\ud800',
    '\uffff',
    '💥'.repeat(50),
    "' OR '1'='1' --",
    '"; DROP TABLE users; --',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '%00',
    '${jndi:ldap://x}',
    '__proto__',
    'constructor',
    '00000000-0000-0000-0000-000000000000',
    'NaN',
    'Infinity',
    '-0',
    '1e309',
    '99999999999999999999999',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 256, max: 12_000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON value of the wrong kind: types, boundaries, huge numbers, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    2 ** 31,
    2 ** 53 + 2,
    -(2 ** 63),
    1e308,
    -1e308,
    Number.MIN_VALUE,
    [],
    {},
    [null],
    { $gt: '' },
    { __proto__: { admin: true } },
  ),
  fc.integer({ min: 20, max: 60 }).map((d) => deepNest(d)),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A valid value for a schema, using real ids where a field names one. */
export function validValue(
  schema: Record<string, any>,
  name: string,
  world: FuzzWorld,
): fc.Arbitrary<unknown> {
  const s = resolveSchema(schema);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]).filter((v) => v !== null));
  if (s.type === 'object' || s.properties) return validObject(s, world);
  if (s.type === 'array') {
    return fc.array(validValue(s.items ?? {}, name, world), { minLength: 1, maxLength: 3 });
  }
  if (s.type === 'boolean') return fc.boolean();
  if (s.type === 'number' || s.type === 'integer') return validNumber(s, name, world);
  if (s.format === 'uuid') return fc.constantFrom(...idsNamed(name, world));
  if (s.format === 'date-time') {
    return fc
      .date({ min: new Date('2024-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  return validString(s, name);
}

function idsNamed(name: string, world: FuzzWorld): string[] {
  if (/product/i.test(name)) return world.productIds;
  if (/store/i.test(name)) return world.storeIds;
  if (/rider/i.test(name)) return [world.riderId];
  if (/categor|parent/i.test(name)) return world.categoryIds;
  return [...world.productIds, ...world.storeIds];
}

function validNumber(s: Record<string, any>, name: string, world: FuzzWorld) {
  if (/^lat/i.test(name)) return fc.constant(world.storeLat + 0.001);
  if (/^(lng|longitude)/i.test(name)) return fc.constant(world.storeLng);
  if (/radius/i.test(name)) return fc.integer({ min: 100, max: 10_000 });
  const min = typeof s.minimum === 'number' ? s.minimum : /delta/i.test(name) ? -5 : 1;
  const max = typeof s.maximum === 'number' ? s.maximum : Math.max(min, 50);
  return fc.integer({ min, max: Math.min(max, min + 1000) });
}

function validString(s: Record<string, any>, name: string): fc.Arbitrary<string> {
  const tag = fc.stringMatching(/^[a-z0-9]{8}$/);
  switch (name) {
    case 'email':
      return tag.map((t) => `fuzz-${t}@test.flashcart.dev`);
    case 'password':
      return fc.constant('correct horse battery');
    case 'pincode':
      return fc.constantFrom('560038', '110001');
    case 'phone':
      return fc.constant('+919876543210');
    case 'slug':
      return tag.map((t) => `fuzz-${t}`);
    case 'sku':
      return tag.map((t) => `FUZZ-${t.toUpperCase()}`);
    case 'code':
      return tag.map((t) => `F-${t.toUpperCase()}`);
    case 'currency':
      return fc.constant('INR');
    case 'timezone':
      return fc.constantFrom('Asia/Kolkata', 'UTC');
    case 'opensAt':
    case 'closesAt':
      return fc.constantFrom('00:00', '08:30', '23:59');
    case 'imageUrl':
      return fc.constant('https://example.com/a.png');
    case 'reason':
      return fc.constantFrom('restock', 'damaged', 'count', 'customer_request');
  }
  if (typeof s.example === 'string') return fc.constant(s.example);
  return fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim().length > 0);
}

function validObject(s: Record<string, any>, world: FuzzWorld): fc.Arbitrary<object> {
  const props = Object.entries((s.properties ?? {}) as Record<string, Record<string, any>>);
  const required = new Set<string>(s.required ?? []);
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, prop] of props) record[key] = validValue(prop, key, world);
  return fc.record(record, {
    requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
  });
}

/** A body: valid, a valid one with one field mutated, a field missing or unknown, or junk. */
function bodyFor(op: OpenApiOperation, world: FuzzWorld): fc.Arbitrary<string | undefined> {
  const schema = op.requestBody?.content?.['application/json']?.schema;
  if (!schema) {
    // fetch sends no body with GET
    if (op.method === 'GET') return fc.constant(undefined);
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v)) },
    );
  }
  const valid = validValue(schema, 'body', world) as fc.Arbitrary<Record<string, unknown>>;
  const mutated = fc
    .tuple(valid, fc.nat(), hostileValue, fc.nat(3))
    .map(([body, pick, value, how]) => {
      const copy: Record<string, unknown> = { ...body };
      const keys = Object.keys(copy);
      const key = keys.length > 0 ? keys[pick % keys.length]! : 'x';
      if (how === 0) delete copy[key];
      else if (how === 1) copy[`unknown${pick % 3}`] = value;
      else if (how === 2 && typeof copy[key] === 'object' && copy[key] !== null) {
        // one level down: address.line1, items[0].quantity
        const inner: any = Array.isArray(copy[key])
          ? [...(copy[key] as unknown[])]
          : { ...(copy[key] as object) };
        const innerKeys = Object.keys(Array.isArray(inner) ? (inner[0] ?? {}) : inner);
        const target = Array.isArray(inner) ? (inner[0] = { ...inner[0] }) : inner;
        if (innerKeys.length > 0) target[innerKeys[pick % innerKeys.length]!] = value;
        copy[key] = inner;
      } else copy[key] = value;
      return copy;
    });
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((b) => JSON.stringify(b)) },
    { weight: 5, arbitrary: mutated.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":}', 'null', '', '[]', '{"a":1,"a":2}') },
  );
}

/** A cursor a client might forge: base64url of any JSON, or not base64 at all. */
const forgedCursor = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  fc.tuple(fc.string(), uuidArb).map((k) => Buffer.from(JSON.stringify(k)).toString('base64url')),
  hostileString,
);

function queryValue(
  param: { name: string; schema: Record<string, any> },
  world: FuzzWorld,
): fc.Arbitrary<string> {
  const valid =
    param.name === 'cursor' ? forgedCursor : validValue(param.schema, param.name, world);
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((v) => String(v)) },
    { weight: 3, arbitrary: hostileString },
  );
}

function pathValue(name: string, world: FuzzWorld): fc.Arbitrary<string> {
  const real = /^(id)$/.test(name)
    ? [...world.ordersOfA, ...world.ordersOfB, ...world.productIds, ...world.storeIds]
    : idsNamed(name, world);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...real) },
    { weight: 2, arbitrary: uuidArb },
    { weight: 2, arbitrary: hostileString.filter((s) => s.length < 3000) },
  );
}

function principalFor(path: string): fc.Arbitrary<Principal> {
  const usual: Principal = path.startsWith('/v1/admin')
    ? 'admin'
    : path.startsWith('/v1/rider')
      ? 'rider'
      : 'customerA';
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(usual) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<Principal>('none', 'customerB', 'admin', 'rider', 'forged'),
    },
  );
}

/** Requests for one operation: valid ones and mutations of every part. */
export function requestsFor(op: OpenApiOperation, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const pathArb = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [
        p.name,
        p.name === 'id' && op.path.startsWith('/v1/admin/users')
          ? fc.oneof(fc.constant(world.victimUserId), uuidArb, hostileString)
          : pathValue(p.name, world),
      ]),
    ),
  );
  const queryArb = fc.record(
    Object.fromEntries(queryParams.map((p) => [p.name, queryValue(p, world)])),
    { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) },
  );
  const extraQuery = fc.oneof(
    { weight: 8, arbitrary: fc.constant<[string, string][]>([]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(hostileString, hostileString), { maxLength: 2 }) },
  );
  const idempotencyKey = fc.oneof(
    { weight: 8, arbitrary: uuidArb },
    { weight: 2, arbitrary: hostileString.filter((s) => /^[\x21-\x7e\xa0-\xff]*$/.test(s)) },
  );
  return fc
    .record({
      path: pathArb,
      query: queryArb,
      extra: extraQuery,
      body: bodyFor(op, world),
      principal: principalFor(op.path),
      key: fc.option(idempotencyKey, { freq: 8 }),
    })
    .map(({ path, query, extra, body, principal, key }) => {
      let url = op.path;
      for (const [name, value] of Object.entries(path)) {
        url = url.replace(`{${name}}`, encodeURIComponent(Buffer.from(value as string).toString()));
      }
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) search.append(name, value as string);
      for (const [name, value] of extra) search.append(name, value);
      const qs = search.toString();
      const headers: Record<string, string> = {};
      if (key !== null && op.parameters.some((p) => p.in === 'header')) {
        headers['idempotency-key'] = key;
      }
      const foreignOrder =
        principal === 'customerB' &&
        Object.values(path).some((v) => world.ordersOfA.includes(v as string));
      return {
        method: op.method,
        template: op.path,
        url: qs ? `${url}?${qs}` : url,
        principal,
        headers,
        body,
        foreignOrder,
      };
    });
}

// --- The route table walk: every route the server registers, not only openapi.json's ---

/** What a route asks of its caller. */
export type Requirement = 'public' | 'signed-in' | 'admin' | 'rider' | 'metrics token';

/**
 * The routes outside openapi.json, each with what it requires: the explicit allow-list of public
 * ones and the guarded rest. A route the server registers that is in neither openapi.json nor
 * here fails the walk until someone says what it requires. (`*` as method: any.)
 */
const NON_API_ROUTES: Record<string, Requirement> = {
  // Swagger UI, its assets and the document; the tracking protocol page.
  'GET /docs': 'public',
  'GET /docs/': 'public',
  'GET /docs/index.html': 'public',
  'GET /docs/LICENSE': 'public',
  'GET /docs/swagger-ui-init.js': 'public',
  'GET /docs/docs/swagger-ui-init.js': 'public',
  'GET /docs/*': 'public',
  'GET /docs-json': 'public',
  'GET /docs-yaml': 'public',
  'GET /docs/tracking': 'public',
  // The frontend reader's documents, rendered (docs-pages).
  'GET /docs/api': 'public',
  'GET /docs/api.md': 'public',
  'GET /docs/dispatch': 'public',
  'GET /docs/dispatch.md': 'public',
  'GET /docs/accounts': 'public',
  'GET /docs/accounts.md': 'public',
  'GET /docs/architecture': 'public',
  'GET /docs/architecture.md': 'public',
  'GET /docs/client': 'public',
  'GET /docs/client.md': 'public',
  'GET /docs/tracking.md': 'public',
  // The pages' static files, sign-in and sign-out.
  'GET /pages/*': 'public',
  // The libraries the pages load (socket.io client, preact, htm, uplot), from node_modules.
  ...Object.fromEntries(
    Object.keys(VENDOR_FILES).map((name) => [`GET ${VENDOR_PREFIX}${name}`, 'public' as const]),
  ),
  'GET /admin/login': 'public',
  // Whether the browser holds a session (always 200: the sign-in page's probe), the labels module.
  'GET /admin/login/session': 'public',
  'GET /pages/order-labels.js': 'public',
  'POST /admin/login': 'public',
  'POST /admin/logout': 'public',
  // The payment provider's webhook (raw body): its signature is its authentication (400 without).
  'POST /v1/payments/webhooks/stripe': 'public',
  // CORS preflights (@fastify/cors): they grant nothing by themselves.
  'OPTIONS *': 'public',
  // The pages that need a session.
  'POST /admin/session/token': 'signed-in',
  'POST /track/session/token': 'signed-in',
  'GET /track': 'signed-in',
  'GET /track/:orderId': 'signed-in',
  'GET /admin/board': 'admin',
  // The ops console's pages (one table, apps/api/src/pages/console-pages.ts); staff are admins.
  ...Object.fromEntries(CONSOLE_PAGES.map((page) => [`GET ${page.path}`, 'admin' as const])),
  '* /admin/queues': 'admin',
  '* /admin/queues/*': 'admin',
  'GET /metrics': 'metrics token',
};

/** A concrete path for each wildcard route (a file or sub-route that exists). */
const WILDCARD_EXAMPLES: Record<string, string> = {
  '/admin/queues/*': 'api/queues',
  '/pages/*': 'board.js',
  '/docs/*': 'swagger-ui.css',
};

/** What each principal of the walk holds. */
export const HOLDS: Record<'anonymous' | 'customer', Requirement[]> = {
  anonymous: ['public'],
  customer: ['public', 'signed-in'],
};

/**
 * What a registered route requires: from openapi.json for the REST API (security, and the admin
 * and rider tags), else from NON_API_ROUTES; undefined when nobody said.
 */
export function requirementOf(route: { method: string; url: string }): Requirement | undefined {
  const method = route.method === 'HEAD' ? 'GET' : route.method;
  const path = route.url.replace(/:(\w+)/g, '{$1}');
  const op = openApiDocument.paths[path]?.[method.toLowerCase()] as
    { security?: unknown[]; tags?: string[] } | undefined;
  if (op) {
    if (!op.security?.length) return 'public';
    if (op.tags?.includes('admin')) return 'admin';
    if (op.tags?.includes('rider')) return 'rider';
    return 'signed-in';
  }
  return NON_API_ROUTES[`${method} ${route.url}`] ?? NON_API_ROUTES[`* ${route.url}`];
}

/** A path that the route matches: ids for parameters, an existing file for a wildcard. */
export function concretePath(url: string, id: string): string {
  if (url === '*') return '/v1/orders';
  if (WILDCARD_EXAMPLES[url]) return url.replace('*', WILDCARD_EXAMPLES[url]);
  return url.replace(/:\w+/g, id).replace('*', 'x');
}
