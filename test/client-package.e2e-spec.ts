import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startApi, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { uniqueEmail, userWithRole } from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';

const run = promisify(execFile);
const CLIENT_DIR = resolve('clients/typescript');
const NODE_BIN = dirname(process.execPath); // the pinned Node.js and its npm
const npm = (args: string[], cwd: string) =>
  run(join(NODE_BIN, 'npm'), [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    env: { ...process.env, PATH: `${NODE_BIN}:${process.env.PATH}` },
    maxBuffer: 16 * 1024 * 1024,
  });

/**
 * @flashcart/client as a user gets it: `npm pack` (which builds it), the tarball installed into an
 * empty project outside this repository (its runtime dependencies from the npm cache), and the
 * README's example (examples/order-flow.ts, the same lines) type-checked against the packed
 * declarations and run by plain Node.js against the real api.
 */
describe('the packed @flashcart/client', () => {
  let database: IsolatedDatabase;
  let api: RunningApp;
  let project: string;

  beforeAll(async () => {
    database = await isolatedDatabase();
    api = await startApi({
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_pkg`,
    });
    project = mkdtempSync(join(tmpdir(), 'flashcart-client-user-'));
  });
  afterAll(async () => {
    await api?.close();
    await database?.drop();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("packs its code and types, installs from the tarball, and runs the README's example", async () => {
    const { stdout } = await npm(['pack', '--json', '--pack-destination', project], CLIENT_DIR);
    // Lifecycle output (the build) may precede the JSON report.
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[\n'))) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/protocol.js',
        'dist/protocol.d.ts',
        'dist/generated/openapi.d.ts',
      ]),
    );
    expect(files.filter((f) => f.includes('.spec.'))).toEqual([]);

    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'a-frontend', private: true, type: 'module' }),
    );
    await npm(['install', '--prefer-offline', join(project, packed.filename)], project);
    copyFileSync(join(CLIENT_DIR, 'examples/order-flow.ts'), join(project, 'order-flow.ts'));

    // Types: the example compiles against the package's exported declarations alone.
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        },
        files: ['order-flow.ts'],
      }),
    );
    const tsc = resolve('node_modules/typescript/bin/tsc');
    await expect(run(process.execPath, [tsc, '-p', project])).resolves.toBeDefined();

    // Code: Node.js runs the example (type stripping) with the installed package.
    const { store } = await new CatalogFactory(
      new HttpClient(api.url),
      (await userWithRole(api.app, new HttpClient(api.url), 'admin')).accessToken,
    ).stockedStore(5);
    writeFileSync(
      join(project, 'main.ts'),
      `import { orderFlow } from './order-flow.ts';
const events: { type: string; status: string | null }[] = [];
const input = JSON.parse(process.argv[2]);
const { order, tracking } = await orderFlow({ ...input, log: (e) => events.push(e) });
for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
tracking.close();
console.log(JSON.stringify({ order, events }));
`,
    );
    const input = {
      baseUrl: api.url,
      email: uniqueEmail('packed'),
      password: 'a long enough passphrase',
      here: { lat: store.latitude, lng: store.longitude },
    };
    const { stdout: out } = await run(process.execPath, ['main.ts', JSON.stringify(input)], {
      cwd: project,
    });
    const { order, events } = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(order).toMatchObject({ status: 'PLACED', storeId: store.id });
    expect(events).toEqual([expect.objectContaining({ type: 'order.placed', status: 'PLACED' })]);
  }, 90_000);
});
