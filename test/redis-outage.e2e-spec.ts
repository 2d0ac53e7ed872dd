import { DataSource } from 'typeorm';
import { startApi, startWorker, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { placeOrder, signup, userWithRole, type TestUser } from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
import { PrivateRedis } from './harness/redis-server.js';
import { TrackingClient } from './harness/tracking-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long after Redis answers again every subscriber must have every event (README). */
const DELIVERY_BOUND_MS = 15_000;
const OUTAGE_MS = 10_000;
const PACK_TIMEOUT_S = 4;

/**
 * Redis pulled out from under a running api and worker while subscribers stay connected, then
 * brought back with its data or empty. Nothing committed may be lost: every subscriber ends up
 * with every event of the timeline, in seq order, once each; every order past its pack timeout is
 * cancelled exactly once; the stock ledger is exact; and no connection sits idle in a transaction.
 */
describe('a Redis outage with subscribers connected', () => {
  let redis: PrivateRedis;
  let database: IsolatedDatabase;
  let api: RunningApp;
  let worker: RunningApp;
  let http: HttpClient;
  let db: DataSource;
  let admin: TestUser;
  let make: CatalogFactory;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    // Own database: the sweeper scans whole tables; the consumers' cursors are per database.
    database = await isolatedDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      ORDER_PACK_TIMEOUT_SECONDS: String(PACK_TIMEOUT_S),
      ORDER_SWEEP_INTERVAL_MS: '1000',
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100',
    };
    api = await startApi(env);
    worker = await startWorker(env);
    http = new HttpClient(api.url);
    db = api.app.get(DataSource);
    admin = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await database?.drop();
    await redis?.destroy();
  });

  /** The longest a connection of this database was idle inside a transaction, sampled. */
  function watchIdleInTransaction() {
    let longestMs = 0;
    let stopped = false;
    const sampling = (async () => {
      const name = new URL(database.url).pathname.slice(1);
      while (!stopped) {
        const [{ ms }] = await db.query(
          `SELECT COALESCE(max(extract(epoch FROM now() - state_change) * 1000), 0)::int AS ms
             FROM pg_stat_activity WHERE datname = $1 AND state = 'idle in transaction'`,
          [name],
        );
        longestMs = Math.max(longestMs, ms);
        await sleep(100);
      }
    })();
    return async () => {
      stopped = true;
      await sampling;
      return longestMs;
    };
  }

  const timelines = async (orderIds: string[]) => {
    const rows: { order_id: string; seq: number; to_status: string | null; type: string }[] =
      await db.query(
        `SELECT order_id, seq, to_status, type FROM order_events WHERE order_id = ANY($1) ORDER BY order_id, seq`,
        [orderIds],
      );
    return new Map(orderIds.map((id) => [id, rows.filter((r) => r.order_id === id)]));
  };

  const received = (socket: TrackingClient, orderId: string) =>
    socket.events.filter((e) => e.orderId === orderId).map((e) => e.seq as number);

  it.each([
    ['with its data', true],
    ['empty', false],
  ])(
    'brings every subscriber every event after Redis restarts %s',
    async (_label, keepData) => {
      const { store, product, address } = await make.stockedStore(100);
      const customers = await Promise.all([signup(http), signup(http)]);
      const place = async (i: number) => {
        const res = await placeOrder(http, customers[i % 2].accessToken, {
          productId: product.id,
          quantity: 1,
          address,
        });
        expect(res.status).toBe(201);
        return res.body.id as string;
      };
      // Placed before: their auto-cancel jobs wait in Redis when it goes away.
      const before = await Promise.all([0, 1, 2, 3, 4, 5].map(place));
      const sockets = await Promise.all(
        [0, 1, 2].map(() => TrackingClient.connect(api.url, admin.accessToken)),
      );
      const subscribe = async (orderIds: string[]) => {
        for (const socket of sockets)
          for (const orderId of orderIds)
            expect(await socket.emit('subscribe', { orderId, afterSeq: 0 })).toMatchObject({
              ok: true,
            });
      };
      await subscribe(before);
      const idleInTransaction = watchIdleInTransaction();

      await redis.stop({ keepData });
      const outageStarted = Date.now();
      // During the outage: placement still answers, staff still pack, pack timeouts pass.
      const during = await Promise.all([0, 1, 2, 3].map(place));
      await subscribe(during);
      const packed = [before[0], during[0]];
      for (const id of packed) {
        const res = await http.post(
          `/v1/admin/orders/${id}/transitions`,
          { to: 'PACKED' },
          { token: admin.accessToken },
        );
        expect(res.status).toBe(200);
      }
      await sleep(OUTAGE_MS - (Date.now() - outageStarted));
      await redis.start();
      const back = Date.now();

      const all = [...before, ...during];
      const unpacked = all.filter((id) => !packed.includes(id));
      let complete = false;
      let expected = await timelines(all);
      while (!complete && Date.now() - back < DELIVERY_BOUND_MS + 5_000) {
        expected = await timelines(all);
        complete =
          unpacked.every((id) => expected.get(id)!.at(-1)?.to_status === 'CANCELLED') &&
          sockets.every((s) =>
            all.every((id) => received(s, id).length >= expected.get(id)!.length),
          );
        if (!complete) await sleep(100);
      }
      const deliveredMs = Date.now() - back;
      const longestIdleMs = await idleInTransaction();

      let delivered = 0;
      let wanted = 0;
      for (const socket of sockets) {
        for (const id of all) {
          const seqs = expected.get(id)!.map((e) => e.seq);
          wanted += seqs.length;
          delivered += received(socket, id).length;
          // Every event, in seq order, once each.
          expect(received(socket, id)).toEqual(seqs);
        }
      }
      for (const id of unpacked) {
        const cancellations = expected.get(id)!.filter((e) => e.type === 'order.cancelled');
        expect(cancellations).toHaveLength(1);
      }
      for (const id of packed) expect(expected.get(id)!.at(-1)?.to_status).toBe('PACKED');
      const [{ quantity, ledger }] = await db.query(
        `SELECT ss.quantity,
                (SELECT COALESCE(sum(delta), 0)::int FROM stock_movements m
                  WHERE m.store_id = ss.store_id AND m.product_id = ss.product_id) AS ledger
           FROM store_stock ss WHERE ss.store_id = $1 AND ss.product_id = $2`,
        [store.id, product.id],
      );
      expect(quantity).toBe(ledger);
      expect(quantity).toBe(100 - packed.length);
      expect(longestIdleMs).toBeLessThan(1_000);
      expect(deliveredMs).toBeLessThan(DELIVERY_BOUND_MS);
      process.stdout.write(
        `redis outage (${OUTAGE_MS / 1000} s, restarted ${keepData ? 'with its data' : 'empty'}): ` +
          `events delivered/expected ${delivered}/${wanted}, all in ${deliveredMs} ms after Redis ` +
          `returned, longest idle in transaction ${longestIdleMs} ms\n`,
      );
      for (const socket of sockets) socket.close();
    },
    90_000,
  );
});
