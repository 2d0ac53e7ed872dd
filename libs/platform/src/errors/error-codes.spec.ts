import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpStatusOf, registeredErrorCodes, type ErrorCode } from './domain-error.js';

/** Every code raised anywhere has a status: each lib registers its own when it is loaded. */
describe('error codes', () => {
  beforeAll(async () => {
    for (const lib of readdirSync(join(process.cwd(), 'libs')))
      await import(join(process.cwd(), 'libs', lib, 'src/index.ts'));
  });

  it('are registered for every code the code raises', () => {
    const root = process.cwd();
    const used = new Set<string>();
    for (const dir of ['apps', 'libs'])
      for (const file of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
        const text = readFileSync(join(root, dir, file), 'utf8');
        for (const [, code] of text.matchAll(/(?:DomainError|code:)\(?\s*'([A-Z][A-Z_]{3,})'/g))
          used.add(code);
      }
    expect([...used].filter((code) => !registeredErrorCodes().has(code))).toEqual([]);
    expect(used.size).toBeGreaterThan(15);
  });

  it('map to the documented statuses', () => {
    expect(httpStatusOf('INSUFFICIENT_STOCK' as ErrorCode)).toBe(409);
    expect(httpStatusOf('NOT_SERVICEABLE' as ErrorCode)).toBe(422);
    expect(httpStatusOf('DATABASE_UNAVAILABLE')).toBe(503);
  });
});
