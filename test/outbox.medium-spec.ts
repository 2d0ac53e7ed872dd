import pg from 'pg';
import { OrderEventsRelay, OutboxSignal, OutboxStore, type OutboxCursor } from '#libs/orders';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
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

  it('writes advances asked for together in one go, each answered for its own consumer', async () => {
    const names = ['adv-a', 'adv-b', 'adv-c'].map((n) => `${n}-${Date.now()}`);
    await store.register(names);
    expect([...(await store.claim('p1', names, 5_000)).keys()].sort()).toEqual([...names].sort());
    // The third consumer is led by another process now.
    await store.release('p1', [names[2]!]);
    await store.claim('p2', [names[2]!], 5_000);
    const to = [
      { tx: '1000', id: '7' },
      { tx: '1001', id: '8' },
      { tx: '1002', id: '9' },
    ];
    const kept = await Promise.all(names.map((n, i) => store.advance('p1', n, to[i]!, 1, 5_000)));
    expect(kept).toEqual([true, true, false]);
    const [p1, p2] = [await store.claim('p1', names, 5_000), await store.claim('p2', names, 5_000)];
    expect([p1.get(names[0]!), p1.get(names[1]!), p2.get(names[2]!)]).toEqual([
      to[0],
      to[1],
      { tx: expect.any(String), id: '0' }, // not moved by p1
    ]);
  });
});

/**
 * Issue 23, defect 1: a database that looks old. Transaction ids are cluster-wide and grow
 * forever; once they gain a digit after the first events, a cursor or "newest event" sorted as
 * text puts "99998" after "100003", and the relay's poll stopped seeing new events. Here the
 * poll is the only way events can reach the consumer: no commit in the relay's process signals
 * it, and its nudges go nowhere.
 */
describe('outbox relay on transaction ids past a power of ten', () => {
  /** Burning further costs seconds; beyond it the older event gets an id from the past instead. */
  const BURN_BUDGET = 150_000;
  let database: IsolatedDatabase;
  let ctx: ServiceContext;
  let burner: pg.Client;
  let writer: pg.Client;
  let relay: OrderEventsRelay;
  const delivered: { orderId: string; seq: number }[] = [];

  beforeAll(async () => {
    database = await isolatedDatabase();
    ctx = await ServiceContext.start({ DATABASE_URL: database.url });
    burner = new pg.Client({ connectionString: database.url });
    writer = new pg.Client({ connectionString: database.url });
    await burner.connect();
    await writer.connect();
  });
  afterAll(async () => {
    await relay?.onApplicationShutdown();
    await burner?.end();
    await writer?.end();
    await ctx?.close();
    await database?.drop();
  });

  const currentXid = async () =>
    BigInt((await burner.query(`SELECT pg_current_xact_id()::text AS x`)).rows[0].x);

  /** Uses up transaction ids, each in a transaction of its own (about 25 000 a second). */
  async function burnUntil(target: bigint): Promise<void> {
    const count = target - (await currentXid());
    if (count <= 0n) return;
    await burner.query(`SET synchronous_commit = off`);
    await burner.query(
      `DO $$ BEGIN FOR i IN 1..${count} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`,
    );
  }

  /** An event written by a transaction of its own (or, with `tx`, one written long ago). */
  async function writeEvent(orderId: string, seq: number, tx?: bigint): Promise<bigint> {
    const { rows } = await writer.query(
      `INSERT INTO order_events (order_id, seq, type, actor_role, data, created_at, tx)
       VALUES ($1, $2, 'test.event', 'system', '{}', now(), COALESCE($3::xid8, pg_current_xact_id()))
       RETURNING tx::text AS tx`,
      [orderId, seq, tx?.toString() ?? null],
    );
    return BigInt(rows[0].tx);
  }

  /** The test's events (seq 2 on): whether the placement's seq 1 comes too depends on what ran
   * in the cluster when the relay registered (its cursor starts at the oldest running one). */
  async function deliveredSeqs(orderId: string, count: number, timeoutMs = 15_000) {
    const seqs = () =>
      delivered.filter((e) => e.orderId === orderId && e.seq >= 2).map((e) => e.seq);
    const deadline = Date.now() + timeoutMs;
    while (seqs().length < count && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    return seqs();
  }

  it('delivers by its poll alone the events written after the ids gained a digit', async () => {
    const { order } = await ctx.newOrder(); // seq 1, before the relay's cursor starts
    const nudges = { send: () => undefined, listen: () => undefined };
    relay = new OrderEventsRelay(
      new OutboxStore(ctx.db),
      new OutboxSignal(), // never signalled: nothing is committed through this relay's process
      nudges, // go nowhere
      [
        {
          name: `poll-only-${order.id.slice(0, 8)}`,
          handle: async (events) => {
            for (const e of events) delivered.push({ orderId: e.orderId, seq: e.seq });
          },
        },
      ],
    );
    await relay.onApplicationBootstrap();

    const now = await currentXid();
    const power = 10n ** BigInt(now.toString().length); // the next power of ten
    let older: bigint;
    let olderDelivered = false;
    if (power - now <= BURN_BUDGET) {
      // As it happens on a long-lived cluster: an event just below the power of ten, delivered...
      await burnUntil(power - 1_000n);
      older = await writeEvent(order.id, 2);
      expect(await deliveredSeqs(order.id, 1)).toEqual([2]);
      olderDelivered = true;
      // ...then the ids cross it.
      await burnUntil(power + 10n);
    } else {
      // Too far to burn: an event from a transaction below the power of ten the ids already
      // passed, as a long-lived database has (older than the relay's cursor: not delivered).
      older = power / 10n - 1n;
      await writeEvent(order.id, 2, older);
    }
    const newer = [await writeEvent(order.id, 3), await writeEvent(order.id, 4)];
    // The premise: the newer ids have more digits, so as text they sort before the older one.
    for (const tx of newer) {
      expect(tx.toString().length).toBeGreaterThan(older.toString().length);
      expect(tx.toString() < older.toString()).toBe(true);
    }

    // Only the poll can deliver them here. How soon depends on the oldest transaction running
    // anywhere in the cluster (events wait for it), so the wait is generous; before the fix
    // they never came.
    const seqs = await deliveredSeqs(order.id, olderDelivered ? 3 : 2);
    expect(seqs).toEqual(olderDelivered ? [2, 3, 4] : [3, 4]);
  }, 60_000);
});
