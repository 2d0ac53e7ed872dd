import type { MigrationInterface } from 'typeorm';

/** Every migration, in order. Listed explicitly so the CLI, the apps and tests all run the same set. */
export const migrations: (new () => MigrationInterface)[] = [];
