import { randomUUID } from 'node:crypto';
import { UsersService } from '#libs/auth';
import { NormaliseUserEmails1765000100000 } from '../libs/database/src/migrations/1765000100000-NormaliseUserEmails.js';
import { ServiceContext } from './harness/service-context.js';

/**
 * Rows written before emails were NFKC-normalised (inserted as the old code stored them), then
 * the data migration: each is normalised, unless that would collide with another account.
 */
describe('migration NormaliseUserEmails', () => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await ServiceContext.start();
  });
  afterAll(() => ctx.close());

  const insert = async (email: string) => {
    const [row] = await ctx.db.query(
      `INSERT INTO users (email, password_hash, name, role, disabled)
       VALUES ($1, 'x', 'Old row', 'customer', false) RETURNING id`,
      [email],
    );
    return row.id as string;
  };
  const emailOf = async (id: string) =>
    (await ctx.db.query(`SELECT email FROM users WHERE id = $1`, [id]))[0].email as string;

  it('normalises old rows, leaves look-alike duplicates for an admin, and login finds the rest', async () => {
    const id = randomUUID().slice(0, 8);
    const fullwidth = await insert(`\uff55ser-${id}@test.flashcart.dev`);
    const decomposed = await insert(`jose\u0301-${id}@test.flashcart.dev`);
    const original = await insert(`dup-${id}@test.flashcart.dev`);
    const lookAlike = await insert(`d\uff55p-${id}@test.flashcart.dev`);

    const runner = ctx.db.createQueryRunner();
    try {
      await new NormaliseUserEmails1765000100000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await emailOf(fullwidth)).toBe(`user-${id}@test.flashcart.dev`);
    expect(await emailOf(decomposed)).toBe(`jos\u00e9-${id}@test.flashcart.dev`);
    expect(await emailOf(original)).toBe(`dup-${id}@test.flashcart.dev`);
    expect(await emailOf(lookAlike)).toBe(`d\uff55p-${id}@test.flashcart.dev`);
    const users = ctx.module.get(UsersService);
    expect((await users.findForLogin(`\uff55ser-${id}@test.flashcart.dev`))?.id).toBe(fullwidth);
    expect((await users.findForLogin(`d\uff55p-${id}@test.flashcart.dev`))?.id).toBe(original);
  });
});
