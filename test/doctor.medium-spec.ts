/**
 * scripts/doctor.sh (make doctor, the first step of make test and make up) on a simulated bare
 * Debian machine: a fresh copy of the project whose PATH holds only bash and coreutils, a fake
 * `id` (root or not), a fake `apt-get` that records its calls, and default server addresses on
 * closed ports. Every missing program must be named in ONE run, with ONE install command that
 * starts with `apt-get update &&`; as root that command runs once and fixes everything.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
// What a minimal Debian has: bash, coreutils, grep, sed (each a symlink to this machine's).
const base = [
  'bash',
  'dirname',
  'cat',
  'tr',
  'timeout',
  'ls',
  'sort',
  'tail',
  'head',
  'cut',
  'paste',
  'mkdir',
].concat(['grep', 'sed', 'cksum', 'sleep', 'seq', 'rm', 'chmod', 'uname']);
// Every Debian package make test needs on a bare machine, and a program each provides.
const provides: Record<string, string[]> = {
  make: ['make'],
  curl: ['curl'],
  nodejs: ['node'],
  npm: ['npm'],
  postgresql: ['initdb', 'pg_ctl'],
  'redis-tools': ['redis-check-rdb'],
  chromium: ['chromium'],
  haproxy: ['haproxy'],
};

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

function script(path: string, body: string): void {
  writeFileSync(path, `#!/bin/bash\n${body}\n`);
  chmodSync(path, 0o755);
}

/** A bare machine: run(env, command) runs one of the project's scripts there (the doctor by default). */
async function bareMachine(uid: number) {
  const dir = mkdtempSync(join(tmpdir(), 'fc-doctor-'));
  const bin = join(dir, 'bin');
  const project = join(dir, 'project');
  cpSync(join(repo, 'scripts'), join(project, 'scripts'), { recursive: true });
  for (const file of ['.nvmrc', 'package.json']) cpSync(join(repo, file), join(project, file));
  execFileSync('mkdir', ['-p', bin]);
  for (const name of base) {
    symlinkSync(
      execFileSync('bash', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim(),
      join(bin, name),
    );
  }
  script(join(bin, 'id'), `[[ $1 == -u ]] && echo ${uid} || echo 'uid=${uid}'`);
  // apt-get: records each call; `install` creates a stub of each package's programs.
  const calls = join(dir, 'apt-calls');
  const stubs = Object.entries(provides)
    .map(
      ([pkg, programs]) =>
        `${pkg}) for p in ${programs.join(' ')}; do printf '#!/bin/bash\\n' >"${bin}/$p"; chmod +x "${bin}/$p"; done ;;`,
    )
    .join('\n      ');
  script(
    join(bin, 'apt-get'),
    `echo "$*" >>'${calls}'
[[ $1 == install ]] || exit 0
for pkg in "$@"; do
  case $pkg in
      ${stubs}
  esac
done`,
  );
  const [pg, redis, localPg, localRedis] = [
    await closedPort(),
    await closedPort(),
    await closedPort(),
    await closedPort(),
  ];
  return {
    dir,
    bin,
    aptCalls: () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []),
    /** Node.js (this one, the pinned major) on the machine. */
    addNode: () => symlinkSync(process.execPath, join(bin, 'node')),
    run(extra: Record<string, string> = {}, command = ['doctor.sh', 'test']) {
      const result = spawnSync(join(project, 'scripts', command[0]), command.slice(1), {
        cwd: '/',
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: bin,
          FC_PROGRAM_PATH: bin,
          HOME: dir,
          FC_DEFAULT_DATABASE_URL: `postgres://postgres@127.0.0.1:${pg}/flashcart`,
          FC_DEFAULT_REDIS_URL: `redis://127.0.0.1:${redis}`,
          LOCAL_PG_PORT: String(localPg),
          LOCAL_REDIS_PORT: String(localRedis),
          ...extra,
        },
      });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    },
  };
}

const machines: string[] = [];
afterAll(() => machines.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('scripts/doctor.sh on a bare Debian machine', () => {
  it('not root: names every missing program in one run, with one install command, and changes nothing', async () => {
    const machine = await bareMachine(1000);
    machines.push(machine.dir);
    const { status, output } = machine.run();

    expect(status).toBe(1);
    const commands = output.split('\n').filter((line) => line.includes('apt-get install'));
    const exact = commands
      .map((line) => line.replace(/^\[doctor\]\s+/, ''))
      .filter((line) => line.startsWith('apt-get'));
    expect(exact).toEqual([
      `apt-get update && apt-get install -y ${Object.keys(provides).join(' ')}`,
    ]);
    // Each is also explained on a line of its own (what it is for).
    for (const pkg of Object.keys(provides))
      expect(output).toMatch(new RegExp(`- .+\\(Debian: [^)]*\\b${pkg}\\b`));
    expect(output).toContain('Not root, so nothing was installed or started');
    expect(machine.aptCalls()).toEqual([]);
  });

  it('root: runs that one command once, and then everything is there', async () => {
    const machine = await bareMachine(0);
    machines.push(machine.dir);
    const { status, output } = machine.run();

    expect(output).toContain('everything make test needs from this machine is here');
    expect(status).toBe(0);
    expect(machine.aptCalls()).toEqual(['update', `install -y ${Object.keys(provides).join(' ')}`]);
  });

  it('names in the same run what no package fixes: a configured URL that does not answer, a bad CHROMIUM_PATH', async () => {
    const machine = await bareMachine(1000);
    machines.push(machine.dir);
    const dead = await closedPort();
    const { status, output } = machine.run({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${dead}/flashcart`,
      CHROMIUM_PATH: '/nonexistent/chromium',
    });

    expect(status).toBe(1);
    expect(output).toContain(
      `PostgreSQL does not answer at 127.0.0.1:${dead}/flashcart (DATABASE_URL, set in the environment)`,
    );
    expect(output).toContain('CHROMIUM_PATH=/nonexistent/chromium is not an executable');
    // The set URL is used, not replaced: no PostgreSQL programs are asked for; the rest still is.
    expect(output).toMatch(
      /^\[doctor\]\s+apt-get update && apt-get install -y make curl nodejs npm redis-tools haproxy$/m,
    );
  });

  it('each finder run alone (not root) names the one command for its own package', async () => {
    const machine = await bareMachine(1000);
    machines.push(machine.dir);
    machine.addNode(); // services.sh reads .env with it
    const finders: [string[], string][] = [
      [['chromium.sh'], 'chromium'],
      [['balancer.sh'], 'haproxy'],
      [['services.sh', 'test-redis'], 'redis-tools'],
      [['services.sh', 'up'], 'postgresql redis-tools'],
    ];
    for (const [command, packages] of finders) {
      const { status, output } = machine.run({}, command);
      expect({ command, status }).toEqual({ command, status: 1 });
      expect(output).toMatch(
        new RegExp(`^\\s*(\\[\\w+\\])?\\s+apt-get update && apt-get install -y ${packages}$`, 'm'),
      );
    }
    expect(machine.aptCalls()).toEqual([]);
  });
});
