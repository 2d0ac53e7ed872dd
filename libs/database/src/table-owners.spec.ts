import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * One owner per table (docs/architecture.md): only the lib that owns a table writes it, and a lib
 * reads only tables of libs it imports. Other libs get the owner's service, or a SQL fragment the
 * owner hands out (e.g. `libs/inventory/src/stock-statements.ts`), so the table's name appears in
 * SQL only where the rule allows it. Checked on the source text of every lib.
 */
const LIBS = join(process.cwd(), 'libs');

/** Tables without an entity, and who owns them (entity tables: the lib of the `@Entity`). */
const OWNED_WITHOUT_ENTITY: Record<string, string> = {
  store_stock: 'inventory',
  idempotency_keys: 'orders',
  outbox_consumers: 'orders',
  store_open_orders: 'orders',
  promotion_customer_uses: 'promotions',
  promotion_redemptions: 'promotions',
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

const libOf = (path: string) => relative(LIBS, path).split('/')[0];
const files = sources(LIBS).map((path) => ({
  path,
  lib: libOf(path),
  text: readFileSync(path, 'utf8'),
}));

const owners = new Map(Object.entries(OWNED_WITHOUT_ENTITY));
for (const { lib, text } of files)
  for (const [, table] of text.matchAll(/@Entity\('([a-z_]+)'\)/g)) owners.set(table, lib);

const imports = new Map<string, Set<string>>();
for (const { lib, text } of files) {
  const set = imports.get(lib) ?? new Set([lib]);
  for (const [, other] of text.matchAll(/from '#libs\/([a-z-]+)'/g)) set.add(other);
  imports.set(lib, set);
}

const tables = [...owners.keys()].join('|');
const WRITE = new RegExp(`\\b(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(${tables})\\b`, 'g');
const READ = new RegExp(`\\b(?:FROM|JOIN)\\s+(${tables})\\b`, 'g');

describe('table ownership', () => {
  it('knows an owner for every table the migrations create', () => {
    const migrations = readdirSync(join(LIBS, 'database/src/migrations'))
      .map((name) => readFileSync(join(LIBS, 'database/src/migrations', name), 'utf8'))
      .join('\n');
    const created = [...migrations.matchAll(/CREATE TABLE ([a-z_]+)/g)].map((m) => m[1]);
    expect(created.filter((t) => !owners.has(t))).toEqual([]);
  });

  it('lets only the owner write a table', () => {
    const foreign = files.flatMap(({ path, lib, text }) =>
      [...text.matchAll(WRITE)]
        .filter(([, table]) => owners.get(table) !== lib)
        .map(
          ([statement, table]) =>
            `${relative(LIBS, path)}: ${statement} (owner: ${owners.get(table)})`,
        ),
    );
    expect(foreign).toEqual([]);
  });

  it('lets a lib read only the tables of libs it imports', () => {
    const foreign = files.flatMap(({ path, lib, text }) =>
      [...text.matchAll(READ)]
        .filter(([, table]) => !imports.get(lib)!.has(owners.get(table)!))
        .map(
          ([statement, table]) =>
            `${relative(LIBS, path)}: ${statement} (owner: ${owners.get(table)})`,
        ),
    );
    expect(foreign).toEqual([]);
  });
});
