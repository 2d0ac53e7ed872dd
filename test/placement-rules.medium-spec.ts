import { randomUUID } from 'node:crypto';
import { refusalOf } from '#libs/database';
import { PlacementRefusalCodes1765000200000 } from '../libs/database/src/migrations/1765000200000-PlacementRefusalCodes.js';
import { CustomerOpenOrdersIndex1765001300000 } from '../libs/database/src/migrations/1765001300000-CustomerOpenOrdersIndex.js';
import { StoresService } from '#libs/inventory';
import { PLACEMENT_REFUSALS, STORE_LIMIT_RULE } from '#libs/orders';
import { ServiceContext } from './harness/service-context.js';

/**
 * The placement rules that live in the database, as the libs that own them name them: each
 * refuses with SQLSTATE P0001 and its code in DETAIL (`refusalOf`), never recognised by message.
 */
describe('placement rules in the database', () => {
  let ctx: ServiceContext;

  beforeAll(async () => {
    ctx = await ServiceContext.start();
  });
  afterAll(() => ctx.close());

  const failure = (work: Promise<unknown>) =>
    work.then(
      () => undefined,
      (e: unknown) => e as { code?: string; detail?: string },
    );

  it(`refuses an order over its store's limit: ${STORE_LIMIT_RULE.trigger} raises ${STORE_LIMIT_RULE.refusal}`, async () => {
    const store = await ctx.newStore();
    await ctx.module.get(StoresService).update(store.id, { maxOpenOrders: 1 });
    await ctx.newOrder({ store });
    const customer = await ctx.newUser();
    const refused = await failure(
      ctx.db.query(
        `INSERT INTO orders (id, user_id, store_id, status, address, subtotal_minor, delivery_fee_minor, total_minor, promised_by)
         VALUES ($1, $2, $3, 'PLACED', '{}', 0, 0, 0, now())`,
        [randomUUID(), customer.id, store.id],
      ),
    );
    expect(refused).toBeDefined();
    expect(refusalOf(refused)).toBe(STORE_LIMIT_RULE.refusal);
  });

  it('fails a placement write with the code refuse_placement is given', async () => {
    for (const code of Object.values(PLACEMENT_REFUSALS)) {
      const refused = await failure(ctx.db.query(`SELECT refuse_placement($1)`, [code]));
      expect(refusalOf(refused)).toBe(code);
    }
    // Any other failure is no refusal, whatever its message says.
    expect(refusalOf(await failure(ctx.db.query(`SELECT 1/0 AS store_busy`)))).toBeUndefined();
    expect(
      refusalOf(await failure(ctx.db.query(`DO $$ BEGIN RAISE 'store_busy'; END $$`))),
    ).toBeUndefined();
  });

  it('is reversible: down restores the refusals by message, up the codes (in a rolled-back transaction)', async () => {
    const runner = ctx.db.createQueryRunner();
    await runner.connect();
    const migration = new PlacementRefusalCodes1765000200000();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      const old = await failure(runner.query(`SELECT refuse_placement('x')`));
      expect(old).toMatchObject({ message: 'x' });
      expect(refusalOf(old)).toBeUndefined();
      await runner.rollbackTransaction();
      await runner.startTransaction();
      await migration.down(runner);
      await migration.up(runner);
      await runner.query('SAVEPOINT s');
      expect(refusalOf(await failure(runner.query(`SELECT refuse_placement('y')`)))).toBe('y');
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  });

  it('builds again an index that an interrupted concurrent build left invalid (in a rolled-back transaction)', async () => {
    const runner = ctx.db.createQueryRunner();
    await runner.connect();
    const valid = async () =>
      (
        await runner.query(
          `SELECT i.indisvalid AS valid FROM pg_index i
            WHERE i.indexrelid = 'orders_customer_open_idx'::regclass`,
        )
      )[0].valid as boolean;
    try {
      await runner.startTransaction();
      // What CREATE INDEX CONCURRENTLY leaves when it is cancelled: the index, marked invalid.
      await runner.query(
        `UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'orders_customer_open_idx'::regclass`,
      );
      expect(await valid()).toBe(false);
      await new CustomerOpenOrdersIndex1765001300000().up(runner);
      expect(await valid()).toBe(true);
    } finally {
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  });
});
