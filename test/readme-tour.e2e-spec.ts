import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { DEMO_ADDRESS, DEMO_STORES } from '../apps/api/src/cli/demo-catalog.js';
import { startApi, type RunningApp } from './harness/apps.js';
import { HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';

const run = promisify(execFile);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The bash block of README.md's "A short tour", as a reader copies it. */
function tourBlock(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.split('\n## A short tour\n')[1]!.split('\n## ')[0]!;
  return section.split('```bash\n')[1]!.split('\n```')[0]!;
}

/**
 * README.md's tour, run as written (bash, curl, jq) on the demo data that `make seed` loads (the
 * built CLI, as `make up` runs it), against the real api: the demo address finds a store, the
 * store an item, and the order is placed.
 */
describe("README's short tour on the demo data", () => {
  let database: IsolatedDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    database = await isolatedDatabase();
    const env = { DATABASE_URL: database.url, REDIS_PREFIX: `${process.env.REDIS_PREFIX}_tour` };
    await run(process.execPath, ['dist/apps/api/src/cli.js', 'seed'], {
      env: { ...process.env, ...env },
    });
    api = await startApi(env);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('uses the demo address, as do the Swagger examples', () => {
    const document = JSON.parse(readFileSync('openapi.json', 'utf8'));
    const params = document.paths['/v1/stores/serviceable'].get.parameters;
    const example = (name: string) => params.find((p: any) => p.name === name).schema.example;
    expect({ lat: example('lat'), lng: example('lng') }).toEqual({
      lat: DEMO_ADDRESS.lat,
      lng: DEMO_ADDRESS.lng,
    });
    const address = document.components.schemas.AddressDto.properties;
    for (const [field, value] of Object.entries(DEMO_ADDRESS))
      expect([field, address[field].example]).toEqual([field, value]);

    const block = tourBlock();
    expect(block).toContain(`AT='lat=${DEMO_ADDRESS.lat}&lng=${DEMO_ADDRESS.lng}'`);
    const body = JSON.stringify(DEMO_ADDRESS).replace(/"/g, '\\"');
    expect(block.replace(/\n\s*/g, '')).toContain(`\\"address\\":${body}`);
  });

  it('finds a store and an item near the demo address and places an order there', async () => {
    const script = tourBlock().replace(/^API=http:\/\/localhost:3000\/v1$/m, `API=${api.url}/v1`);
    expect(script).toContain(`API=${api.url}/v1`);
    const { stdout } = await run('bash', [
      '-c',
      `set -euo pipefail\n${script}\necho "STORE=$STORE ITEM=$ITEM"`,
    ]);
    const lines = stdout.trimEnd().split('\n');
    const ids = Object.fromEntries(
      lines
        .pop()!
        .split(' ')
        .map((kv) => kv.split('=')),
    );
    expect(ids).toEqual({ STORE: expect.stringMatching(UUID), ITEM: expect.stringMatching(UUID) });
    // jq's output: the placed order, then the newest order of the list.
    const [placed, listed] = JSON.parse(`[${lines.join('\n').replace(/\n\}\n\{/g, '},{')}]`);
    expect(placed).toEqual({
      id: expect.stringMatching(UUID),
      status: 'PLACED',
      total: expect.objectContaining({ amount: expect.any(Number) }),
      promisedBy: expect.any(String),
    });
    expect(listed).toEqual({ id: placed.id, status: expect.any(String) });

    const http = new HttpClient(api.url);
    const login = await http.post('/v1/auth/login', {
      email: 'customer@flashcart.local',
      password: 'flashcart-customer',
    });
    const order = await http.get(`/v1/orders/${placed.id}`, { token: login.body.accessToken });
    expect(order.body).toMatchObject({ storeId: ids.STORE, address: DEMO_ADDRESS });
    const stores = await http.get(
      `/v1/stores/serviceable?lat=${DEMO_ADDRESS.lat}&lng=${DEMO_ADDRESS.lng}`,
    );
    expect(stores.body[0]).toMatchObject({ id: ids.STORE, code: DEMO_STORES[0].code });
  });
});
