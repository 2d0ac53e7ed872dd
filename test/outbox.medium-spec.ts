import pg from 'pg';
import { OutboxStore, type OutboxCursor } from '#libs/orders';
import { ServiceContext } from './harness/service-context.js';

/**
 * The outbox never skips an event: a reader only sees events whose transaction is older than
 * every transaction still running, so one that commits late is still read after its
 * predecessors and before anything newer (docs/architecture.md, "Never skipping an event").
 */
describe('outbox store', () => {
  let ctx: ServiceContext;
  let store: OutboxStore;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    ctx = await ServiceContext.start();
    store = new OutboxStore(ctx.db);
  });
  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => undefined);
    await ctx.close();
  });

  async function connection(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    clients.push(client);
    return client;
  }

  /** Everything readable after `from`, in order, following the cursor as a consumer would. */
  async function readAll(from: OutboxCursor) {
    const seen: { orderId: string; seq: number }[] = [];
    let cursor = from;
    for (;;) {
      const batch = await store.read(cursor, 50);
      if (!batch.last) return { seen, cursor };
      seen.push(...batch.events.map((e) => ({ orderId: e.orderId, seq: e.seq })));
      cursor = batch.last;
    }
  }

  const insertEvent = (client: pg.Client, orderId: string, seq: number) =>
    client.query(
      `INSERT INTO order_events (order_id, seq, type, actor_role, data, created_at)
       VALUES ($1, $2, 'test.event', 'system', '{}', now())`,
      [orderId, seq],
    );

  it('reads an event that committed after a newer one, before it, and skips neither', async () => {
    const { order } = await ctx.newOrder();
    const start = (await readAll({ tx: '0', id: '0' })).cursor;
    const older = await connection();
    const newer = await connection();
    await older.query('BEGIN');
    await insertEvent(older, order.id, 50); // the lower transaction id and the lower event id
    await newer.query('BEGIN');
    await insertEvent(newer, order.id, 51);
    await newer.query('COMMIT');
    // The newer one is committed but not readable: the older transaction may still add events.
    const mine = (r: { seen: { orderId: string; seq: number }[] }) =>
      r.seen.filter((e) => e.orderId === order.id).map((e) => e.seq);
    const during = await readAll(start);
    expect(mine(during)).toEqual([]);
    await older.query('COMMIT');
    const after = await readAll(during.cursor);
    expect(mine(after)).toEqual([50, 51]);
  });

  it('holds back events while any older transaction runs, and lets them through after', async () => {
    const start = (await readAll({ tx: '0', id: '0' })).cursor;
    const idle = await connection();
    await idle.query('BEGIN');
    await idle.query('SELECT pg_current_xact_id()'); // an id of its own, and nothing else
    const { order } = await ctx.newOrder();
    expect((await readAll(start)).seen.filter((e) => e.orderId === order.id)).toEqual([]);
    expect(await store.oldestTransaction()).toBeDefined(); // what the relay's stall warning names
    await idle.query('ROLLBACK');
    expect((await readAll(start)).seen.filter((e) => e.orderId === order.id)).toEqual([
      { orderId: order.id, seq: 1 },
    ]);
  });
});
