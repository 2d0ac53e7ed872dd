import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { APP_CONFIG, ConfigError, type AppConfig } from '#libs/config';
import { DomainError } from '#libs/platform';
import { CliModule } from './cli/cli.module.js';
import { DemoSeeder } from './cli/demo-seeder.js';

const USAGE = `usage: npm run cli -- <command>
  seed                                   demo data (idempotent) + the admin from ADMIN_EMAIL/ADMIN_PASSWORD
  create-admin [--email E] [--password P] [--name N]
                                         create or promote an admin (defaults: ADMIN_EMAIL, ADMIN_PASSWORD)`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
  });
  const command = positionals[0];
  if (command !== 'seed' && command !== 'create-admin') {
    console.error(USAGE);
    process.exit(2);
  }
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    const seeder = app.get(DemoSeeder);
    if (command === 'seed') {
      // Never a password on the terminal (logs, CI output): only where each one is kept.
      const accounts = await seeder.seed();
      console.log('Seeded. Accounts (password: where it is kept):');
      for (const a of accounts)
        console.log(`  ${a.role.padEnd(8)} ${a.email}  (password: ${a.passwordIn})`);
    } else {
      const config = app.get<AppConfig>(APP_CONFIG);
      const email = values.email ?? config.admin.email;
      const password = values.password ?? config.admin.password;
      if (!email || !password) {
        throw new Error(
          'create-admin needs --email and --password (or ADMIN_EMAIL/ADMIN_PASSWORD)',
        );
      }
      const { user } = await seeder.createAdmin(email, password, values.name);
      console.log(`Admin ready: ${user.email}`);
    }
  } finally {
    await app.close();
  }
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof DomainError || err instanceof Error;
  console.error(known ? (err as Error).message : err);
  process.exit(1);
});
