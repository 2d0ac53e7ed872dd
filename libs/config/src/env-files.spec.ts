import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config.js';
import { applyEnvFiles } from './env-files.js';

describe('configuration precedence: environment, then .env, then .local/services.env, then defaults', () => {
  let dir: string;
  const write = (file: string, text: string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  const resolve = (env: NodeJS.ProcessEnv) => {
    const target = { ...env };
    applyEnvFiles(target, dir);
    return loadConfig(target);
  };
  const localDb = 'postgres://postgres@127.0.0.1:55432/flashcart';
  const localRedis = 'redis://127.0.0.1:56379';

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fc-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the defaults when nothing is set', () => {
    const config = resolve({});
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/flashcart');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
  });

  it('uses the project-local services only when neither the environment nor .env names one', () => {
    write('.local/services.env', `DATABASE_URL=${localDb}\nREDIS_URL=${localRedis}\n`);
    write('.env', 'PORT=4000\n');
    const config = resolve({});
    expect(config.database.url).toBe(localDb);
    expect(config.redis.url).toBe(localRedis);
    expect(config.http.port).toBe(4000);
  });

  it('prefers .env to the project-local services', () => {
    write('.local/services.env', `DATABASE_URL=${localDb}\nREDIS_URL=${localRedis}\n`);
    write('.env', 'DATABASE_URL="postgres://app@db.example:5432/shop" # managed\n');
    const config = resolve({});
    expect(config.database.url).toBe('postgres://app@db.example:5432/shop');
    expect(config.redis.url).toBe(localRedis);
  });

  it('prefers the environment to both files, even an empty variable (which means the default)', () => {
    write('.local/services.env', `DATABASE_URL=${localDb}\nREDIS_URL=${localRedis}\n`);
    write('.env', 'DATABASE_URL=postgres://app@db.example:5432/shop\nPORT=4000\n');
    const config = resolve({ DATABASE_URL: 'postgres://ci@10.0.0.9:5432/ci', PORT: '' });
    expect(config.database.url).toBe('postgres://ci@10.0.0.9:5432/ci');
    expect(config.http.port).toBe(3000);
  });

  it('never overrides a variable and reports the names it filled', () => {
    write('.env', 'A=from-env-file\nB=from-env-file\n');
    write('.local/services.env', 'B=from-services\nC=from-services\n');
    const target: NodeJS.ProcessEnv = { A: 'from-environment' };
    expect(applyEnvFiles(target, dir)).toEqual(['B', 'C']);
    expect(target).toEqual({ A: 'from-environment', B: 'from-env-file', C: 'from-services' });
  });

  it('treats missing files as empty', () => {
    const target: NodeJS.ProcessEnv = {};
    expect(applyEnvFiles(target, dir)).toEqual([]);
    expect(target).toEqual({});
  });
});
