import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every `PersonalDataHolder` in libs/ is in the one list the export and the erasure run over: a
 * lib that adds personal data (the email half of issue 28, say) and forgets to list its holder
 * would otherwise be left out of both, silently.
 */
const LIBS = join(process.cwd(), 'libs');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('personal data holders', () => {
  it('are all listed in PERSONAL_DATA_HOLDER_TYPES', () => {
    const list = readFileSync(
      join(LIBS, 'accounts/src/data-rights/personal-data-holders.ts'),
      'utf8',
    );
    const listed = list.slice(list.indexOf('PERSONAL_DATA_HOLDER_TYPES'));
    const holders = sources(LIBS).flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(/class (\w+) implements PersonalDataHolder\b/g)].map(
        ([, name]) => ({ name, file: relative(LIBS, path) }),
      ),
    );
    expect(holders.length).toBeGreaterThanOrEqual(6);
    expect(holders.filter((h) => !new RegExp(`\\b${h.name},`).test(listed))).toEqual([]);
  });
});
