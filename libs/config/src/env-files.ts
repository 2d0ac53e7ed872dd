import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Files read after the real environment, first one first: the user's settings, then the URLs of
 * the project-local PostgreSQL/Redis that `make services` started because none was configured.
 */
export const ENV_FILES = ['.env', '.local/services.env'] as const;

/**
 * The one precedence rule of every entry point (api, worker, CLI, migrations, tests, and the
 * Makefile through scripts/env.sh): a variable already in the environment wins, even when empty;
 * then `.env`; then `.local/services.env`; then the defaults of {@link Environment}.
 * Fills `target` with the variables it lacks and returns their names. Never overrides.
 */
export function applyEnvFiles(
  target: NodeJS.ProcessEnv,
  dir: string,
  files: readonly string[] = ENV_FILES,
): string[] {
  const added: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    for (const [name, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
      if (name in target) continue;
      target[name] = value;
      added.push(name);
    }
  }
  return added;
}

let applied = false;

/**
 * `process.env` completed from the env files in the working directory (the project root for
 * every process we start), read once per process.
 */
export function processEnvironment(): NodeJS.ProcessEnv {
  if (!applied) {
    applied = true;
    applyEnvFiles(process.env, process.cwd());
  }
  return process.env;
}
