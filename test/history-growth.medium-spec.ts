import type { EntityManager } from 'typeorm';
import { defineStatement, sql } from '#libs/database';
import { riderLoadSql } from '#libs/dispatch';
import { customerOpenOrderCount, HAS_ORDERED_SQL } from '#libs/orders';
import { ServiceContext } from './harness/service-context.js';

interface PlanNode {
  'Index Name'?: string;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

/**
 * What every placement, cart and dispatch reads does not grow with the history of a customer or a
 * rider: each of these statements, for someone with 3,000 earlier orders, reads a handful of pages
 * through the index made for it. (Each read the whole history before: a scan of every order the
 * customer placed or the rider delivered, on every request.)
 */
describe('reads that must not grow with history', () => {
  let ctx: ServiceContext;
  let customer: { id: string };
  let rider: { id: string };

  beforeAll(async () => {
    ctx = await ServiceContext.start();
    const store = await ctx.newStore();
    customer = await ctx.newUser();
    rider = await ctx.newUser('rider');
    // A long-standing customer and rider: 2,998 orders of the customer delivered by the rider,
    // then two open ones (one placed, one out with the rider).
    await ctx.db.query(
      `INSERT INTO orders (id, user_id, store_id, status, rider_id, address, subtotal_minor, delivery_fee_minor,
                           total_minor, promised_by, placed_at)
       SELECT gen_random_uuid(), $1, $2,
              CASE WHEN i = 3000 THEN 'PLACED' WHEN i = 2999 THEN 'OUT_FOR_DELIVERY' ELSE 'DELIVERED' END,
              CASE WHEN i = 3000 THEN NULL ELSE $3::uuid END, '{}', 0, 0, 0, now(), now() - (3000 - i) * interval '1 hour'
         FROM generate_series(1, 3000) AS i`,
      [customer.id, store.id, rider.id],
    );
    await ctx.db.query('ANALYZE orders');
  });
  afterAll(() => ctx.close());

  /**
   * The executed plan of `text` for `params`: as a prepared statement, whose plan turns generic
   * after five runs (`generic`), or as the unnamed statement pg sends for a plain query.
   */
  async function executedPlan(text: string, params: string[], generic: boolean) {
    return ctx.db.transaction(async (m: EntityManager) => {
      if (generic) await m.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      await m.query(`PREPARE history_read AS ${text}`);
      try {
        const literals = params.map((p) => `'${p}'`).join(', ');
        const [explained] = await m.query(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE history_read(${literals})`,
        );
        const [row] = await m.query(`EXECUTE history_read(${literals})`);
        return { plan: explained['QUERY PLAN'][0].Plan as PlanNode, row };
      } finally {
        await m.query('DEALLOCATE history_read');
      }
    });
  }

  const indexesOf = (node: PlanNode): string[] => [
    ...(node['Index Name'] ? [node['Index Name']] : []),
    ...(node.Plans ?? []).flatMap(indexesOf),
  ];
  const pages = (node: PlanNode) => node['Shared Hit Blocks'] + node['Shared Read Blocks'];

  it("placement counts a customer's open orders from those alone (orders_customer_open_idx)", async () => {
    const count = defineStatement<{ userId: string }>('test-customer-open-orders', (p) =>
      customerOpenOrderCount(sql`${p.userId}::uuid`),
    );
    const { plan, row } = await executedPlan(count.text, [customer.id], true);
    expect(Number(row.count)).toBe(2);
    expect(indexesOf(plan)).toContain('orders_customer_open_idx');
    expect(pages(plan)).toBeLessThan(20);
  });

  it('pricing asks whether the customer ordered before by finding one order, not counting them all', async () => {
    const { plan, row } = await executedPlan(HAS_ORDERED_SQL, [customer.id], false);
    expect(row.ordered).toBe(true);
    expect(pages(plan)).toBeLessThan(20);
  });

  it("dispatch reads a rider's load from the orders out with them alone (orders_rider_out_idx)", async () => {
    const { plan, row } = await executedPlan(
      `SELECT ${riderLoadSql('$1')} AS load`,
      [rider.id],
      false,
    );
    expect(row.load).toBe(1);
    expect(indexesOf(plan)).toContain('orders_rider_out_idx');
    expect(pages(plan)).toBeLessThan(20);
  });
});
