/**
 * make services-stop (scripts/services.sh down) of a project-local PostgreSQL and Redis, run from
 * a checkout in a private directory (mode 700, as /root is). As root, PostgreSQL runs as the
 * postgres user, who cannot enter that directory: pg_ctl used to print "could not change
 * directory to ...: Permission denied" on every stop. Not root, the same start and stop run as
 * this user. Either way the only lines printed are the script's own.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

function answers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

describe('make services-stop', () => {
  const checkout = mkdtempSync(join(tmpdir(), 'fc-services-stop-'));
  let pgData = '';
  afterAll(() => {
    rmSync(checkout, { recursive: true, force: true });
    if (pgData) rmSync(pgData, { recursive: true, force: true });
  });

  it('stops the project-local servers of a private checkout, printing only its own lines', async () => {
    expect(statSync(checkout).mode & 0o777).toBe(0o700);
    cpSync(join(repo, 'scripts'), join(checkout, 'scripts'), { recursive: true });
    for (const file of ['.nvmrc', 'package.json']) cpSync(join(repo, file), join(checkout, file));
    const [pg, redis] = [await closedPort(), await closedPort()];
    const env = {
      PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
      HOME: checkout,
      // Nothing at the default addresses, so make services starts project-local servers.
      FC_DEFAULT_DATABASE_URL: `postgres://postgres@127.0.0.1:${await closedPort()}/flashcart`,
      FC_DEFAULT_REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
      LOCAL_PG_PORT: String(pg),
      LOCAL_REDIS_PORT: String(redis),
    };
    const run = (command: string) =>
      spawnSync('scripts/services.sh', [command], {
        cwd: checkout,
        env,
        encoding: 'utf8',
        timeout: 90_000,
      });

    const up = run('up');
    pgData = /keeps its data in (\S+)/.exec(up.stderr)?.[1] ?? '';
    expect(up.stderr).toContain(`starting the project-local PostgreSQL on 127.0.0.1:${pg}`);
    expect(up.status).toBe(0);
    expect(await answers(pg)).toBe(true);
    expect(await answers(redis)).toBe(true);

    const down = run('down');
    expect(down.status).toBe(0);
    const lines = `${down.stdout}${down.stderr}`.split('\n').filter(Boolean);
    expect(lines).toEqual([
      expect.stringContaining('[services] stopping the project-local PostgreSQL'),
      '[services] stopping the project-local Redis',
    ]);
    expect(await answers(pg)).toBe(false);
    expect(await answers(redis)).toBe(false);
  }, 180_000);
});
