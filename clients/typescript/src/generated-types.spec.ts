import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('@flashcart/client generated types', () => {
  it('are what openapi-typescript makes of the committed openapi.json (run `make openapi`)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-types-'));
    try {
      const out = join(dir, 'openapi.ts');
      execFileSync(
        process.execPath,
        ['node_modules/openapi-typescript/bin/cli.js', 'openapi.json', '-o', out],
        { stdio: 'pipe' },
      );
      const committed = readFileSync('clients/typescript/src/generated/openapi.ts', 'utf8');
      expect(committed === readFileSync(out, 'utf8')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
