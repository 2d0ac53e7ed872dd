import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorCodeOwners, type ErrorCode } from '#libs/platform';
import { apiErrorCodesOf } from './api-errors.decorator.js';

const root = process.cwd();

/** The libs a source file imports (`#libs/x`), with everything those libs import in turn. */
function reachableLibs(file: string, seen = new Set<string>(['platform'])): Set<string> {
  for (const [, lib] of readFileSync(file, 'utf8').matchAll(/from '#libs\/([a-z-]+)'/g)) {
    if (seen.has(lib!)) continue;
    seen.add(lib!);
    const src = join(root, 'libs', lib!, 'src');
    for (const f of readdirSync(src, { recursive: true, encoding: 'utf8' }))
      if (f.endsWith('.ts') && !f.endsWith('.spec.ts')) reachableLibs(join(src, f), seen);
  }
  return seen;
}

/** The same, for a controller: its own imports and those of its folder's local files. */
function reachableFromController(file: string): Set<string> {
  const seen = new Set<string>(['platform']);
  for (const f of readdirSync(dirname(file)))
    if (f.endsWith('.ts') && !f.endsWith('.spec.ts')) reachableLibs(join(dirname(file), f), seen);
  return seen;
}

/**
 * Each route documents the codes it can answer (@ApiErrors); openapi.json lists exactly those
 * per status. A route must not document a code of a domain it cannot reach (placeOrder listed
 * EMAIL_TAKEN and OFFER_EXPIRED when the codes were listed per status).
 */
describe('documented error codes', () => {
  const dir = join(root, 'apps/api/src');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.controller.ts'))
    .map((f) => join(dir, f));
  let routes: Map<string, { file: string; codes: ErrorCode[] }>;

  beforeAll(async () => {
    routes = new Map();
    for (const file of files) {
      for (const exported of Object.values(await import(file))) {
        if (typeof exported !== 'function') continue;
        const controller = exported as { prototype: Record<string, object> };
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = controller.prototype[name]!;
          const op = Reflect.getMetadata('swagger/apiOperation', handler) as
            { operationId?: string } | undefined;
          if (op?.operationId)
            routes.set(op.operationId, { file, codes: apiErrorCodesOf(controller, handler) });
        }
      }
    }
  });

  it('name only codes of the libs the route reaches', () => {
    const owners = errorCodeOwners();
    const foreign: string[] = [];
    for (const [id, { file, codes }] of routes) {
      const reachable = reachableFromController(file);
      for (const code of codes) {
        const owner = owners.get(code);
        if (!owner || !reachable.has(owner)) foreign.push(`${id}: ${code} (${owner ?? 'unknown'})`);
      }
    }
    expect(routes.size).toBeGreaterThan(30);
    expect(foreign).toEqual([]);
  });

  it('are the codes openapi.json lists for the route (run `make openapi` after a change)', () => {
    const document = JSON.parse(readFileSync(join(root, 'openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, { operationId: string; responses: object }>>;
    };
    const stale: string[] = [];
    const placeOrder: string[] = [];
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) {
        const documented = Object.values(operation.responses).flatMap(
          (r: { content?: Record<string, { schema?: { allOf?: object[] } }> }) => {
            const part = r.content?.['application/json']?.schema?.allOf?.[1] as
              { properties?: { code?: { enum?: string[] } } } | undefined;
            return part?.properties?.code?.enum ?? [];
          },
        );
        const declared = routes.get(operation.operationId)?.codes ?? [];
        const missing = declared.filter((c) => !documented.includes(c));
        if (missing.length > 0) stale.push(`${operation.operationId}: ${missing.join(', ')}`);
        if (operation.operationId === 'placeOrder') placeOrder.push(...documented);
      }
    }
    expect(stale).toEqual([]);
    expect(placeOrder).toEqual(expect.arrayContaining(['INSUFFICIENT_STOCK', 'STORE_BUSY']));
    expect(placeOrder).not.toContain('EMAIL_TAKEN');
    expect(placeOrder).not.toContain('OFFER_EXPIRED');
  });
});
