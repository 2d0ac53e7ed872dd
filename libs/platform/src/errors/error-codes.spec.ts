import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  errorCodeOwners,
  httpStatusOf,
  registeredErrorCodes,
  type ErrorCode,
} from './domain-error.js';

const root = process.cwd();
const LIBS = readdirSync(join(root, 'libs'));

/** The codes raised by the sources of one folder (`new DomainError('X'…`, `code: 'X'`). */
function codesRaisedIn(dir: string): Set<string> {
  const used = new Set<string>();
  for (const file of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts') || file.endsWith('-errors.ts')) continue;
    const text = readFileSync(join(root, dir, file), 'utf8');
    for (const [, code] of text.matchAll(/(?:DomainError\(\s*|code: )'([A-Z][A-Z_]{3,})'/g))
      used.add(code!);
  }
  return used;
}

/** The registered codes a folder's sources name (raised directly or passed on, e.g. conflictOnUnique). */
function codesNamedIn(dir: string): Set<string> {
  const named = new Set<string>();
  for (const file of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts') || file.endsWith('-errors.ts')) continue;
    const text = readFileSync(join(root, dir, file), 'utf8');
    for (const [, code] of text.matchAll(/'([A-Z][A-Z_]{3,})'/g))
      if (registeredErrorCodes().has(code!)) named.add(code!);
  }
  return named;
}

/** The libs a lib imports (`#libs/x`), transitively. */
function importedLibs(lib: string, seen = new Set<string>()): Set<string> {
  const dir = join('libs', lib, 'src');
  for (const file of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
    for (const [, other] of readFileSync(join(root, dir, file), 'utf8').matchAll(
      /from '#libs\/([a-z-]+)'/g,
    ))
      if (other !== lib && !seen.has(other!)) {
        seen.add(other!);
        importedLibs(other!, seen);
      }
  }
  return seen;
}

/** Every code raised anywhere has a status: each lib declares its own when it is loaded. */
describe('error codes', () => {
  beforeAll(async () => {
    for (const lib of LIBS) await import(join(root, 'libs', lib, 'src/index.ts'));
  });

  it('are registered for every code the code raises', () => {
    const used = new Set([
      ...codesRaisedIn('apps'),
      ...LIBS.flatMap((l) => [...codesRaisedIn(`libs/${l}/src`)]),
    ]);
    expect([...used].filter((code) => !registeredErrorCodes().has(code))).toEqual([]);
    expect(used.size).toBeGreaterThan(15);
  });

  it('are declared by the lib that raises them (or one it imports), and raised by their owner', () => {
    const owners = errorCodeOwners();
    const misplaced: string[] = [];
    for (const lib of LIBS) {
      const reachable = new Set(['platform', lib, ...importedLibs(lib)]);
      for (const code of codesNamedIn(`libs/${lib}/src`)) {
        const owner = owners.get(code);
        if (owner && !reachable.has(owner)) misplaced.push(`${lib} raises ${code} of ${owner}`);
      }
    }
    for (const [code, owner] of owners) {
      if (owner !== 'platform' && !codesNamedIn(`libs/${owner}/src`).has(code))
        misplaced.push(`${owner} declares ${code} but never raises it`);
    }
    expect(misplaced).toEqual([]);
  });

  it('map to the documented statuses', () => {
    expect(httpStatusOf('INSUFFICIENT_STOCK' as ErrorCode)).toBe(409);
    expect(httpStatusOf('NOT_SERVICEABLE' as ErrorCode)).toBe(422);
    expect(httpStatusOf('DATABASE_UNAVAILABLE')).toBe(503);
  });
});
