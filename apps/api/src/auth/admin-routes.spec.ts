import { PATH_METADATA } from '@nestjs/common/constants.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES } from './principal.js';

/** Roles are declared by decorator only: every controller under /admin says @Roles('admin'). */
describe('admin routes', () => {
  const root = join(process.cwd(), 'apps/api/src');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.controller.ts'))
    .map((f) => join(root, f));

  it('are all admin-only', async () => {
    const adminControllers: string[] = [];
    const undeclared: string[] = [];
    for (const file of files) {
      for (const exported of Object.values(await import(file))) {
        if (typeof exported !== 'function') continue;
        const path: unknown = Reflect.getMetadata(PATH_METADATA, exported);
        const paths = (Array.isArray(path) ? path : [path]).filter((p) => typeof p === 'string');
        if (!paths.some((p: string) => p.replace(/^\//, '').startsWith('admin'))) continue;
        adminControllers.push(exported.name);
        const roles: unknown = Reflect.getMetadata(ROLES, exported);
        if (!Array.isArray(roles) || roles.join() !== 'admin') undeclared.push(exported.name);
      }
    }
    expect(adminControllers.length).toBeGreaterThan(3);
    expect(undeclared).toEqual([]);
  });
});
