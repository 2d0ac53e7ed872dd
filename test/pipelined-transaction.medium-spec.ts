import { randomUUID } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { CoalescingSocket, PG_POOL_OPTIONS, PipelinedTransaction, refusalOf } from '#libs/database';
import {
  claimAndLockStatements,
  PLACEMENT_REFUSALS,
  writePlacementStatement,
  type Order,
} from '#libs/orders';
import { ServiceContext } from './harness/service-context.js';

/**
 * Placement's transaction goes out in two flights (BEGIN with the claim, the write with COMMIT):
 * nothing checked in JavaScript between the write and the commit can undo it, so whatever must
 * not be kept has to fail in SQL and leave nothing behind.
 */
describe('pipelined transactions (placement)', () => {
  let ctx: ServiceContext;

  beforeAll(async () => {
    ctx = await ServiceContext.start();
  });
  afterAll(() => ctx.close());

  const pool = () => ctx.db;
  const settle = <T>(work: Promise<T>) =>
    work.then(
      () => 'ok',
      (e: unknown) => refusalOf(e) ?? (e as Error).message,
    );
  /** The connections of the pool, all idle and none inside a transaction. */
  const poolIsClean = async () => {
    const runners = Array.from({ length: 3 }, () => ctx.db.createQueryRunner());
    const clients = (await Promise.all(runners.map((r) => r.connect()))) as pg.PoolClient[];
    const statuses = clients.map((c) => c.getTransactionStatus());
    const [{ now }] = (await clients[0]!.query('SELECT 1 AS now')).rows;
    await Promise.all(runners.map((r) => r.release()));
    return statuses.every((s) => s === 'I') && now === 1;
  };

  /**
   * The contract with node-postgres that the two flights rely on (its documented pipeline mode):
   * statements issued without awaiting go out at once, so a flight costs one round trip. Through
   * a proxy that delays every answer by 250 ms, a transaction of four statements in two flights
   * takes two round trips, not four; an upgrade that stops pipelining fails here.
   */
  it('sends each flight in one round trip (node-postgres pipeline mode)', async () => {
    const target = new URL((ctx.db.options as { url: string }).url);
    const delayMs = 250; // large beside scheduling jitter: 2 flights (500 ms) and 3 (750 ms) stay apart
    const proxy = net.createServer((client) => {
      const server = net.connect(Number(target.port || 5432), target.hostname);
      client.on('data', (chunk) => server.write(chunk));
      server.on('data', (chunk) => setTimeout(() => client.write(chunk), delayMs));
      const close = () => (client.destroy(), server.destroy());
      client.on('error', close).on('close', close);
      server.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(target);
    proxied.host = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const slowPool = new pg.Pool({ connectionString: proxied.toString(), max: 1, pipeline: true });
    try {
      await slowPool.query('SELECT 1'); // connected before timing
      const started = performance.now();
      const rows = await PipelinedTransaction.run(slowPool, async (tx) => {
        await tx.begin({ text: 'SELECT 1 AS n' }, { text: 'SELECT 2 AS n' });
        return tx.commitWith<{ n: number }>({ text: 'SELECT 3 AS n' });
      });
      const elapsed = performance.now() - started;
      expect(rows).toEqual([{ n: 3 }]);
      expect(elapsed).toBeGreaterThanOrEqual(2 * delayMs - 5);
      expect(elapsed).toBeLessThan(3 * delayMs);
    } finally {
      await slowPool.end();
      proxy.close();
    }
  });

  /**
   * The other half of that contract: a flight goes out in one write (one system call, one
   * wake-up of the backend), through `CoalescingSocket`, the socket of every app connection.
   * node-postgres writes each query on its own: on a plain socket the same flight takes one
   * write per statement (if an upgrade batches them itself, the socket is no longer needed).
   */
  it('sends each flight in one write on the app socket, one per statement on a plain one', async () => {
    const url = (ctx.db.options as { url: string }).url;
    const writesPerFlight = async (Base: typeof net.Socket) => {
      let writes = 0;
      class Counting extends Base {
        override _write(...args: Parameters<net.Socket['_write']>) {
          writes++;
          return super._write(...args);
        }
        override _writev(...args: Parameters<NonNullable<net.Socket['_writev']>>) {
          writes++;
          return super._writev!(...args);
        }
      }
      const counted = new pg.Pool({
        connectionString: url,
        ...PG_POOL_OPTIONS,
        max: 1,
        stream: () => new Counting(),
      });
      try {
        await counted.query('SELECT 1'); // connected (start-up messages written) before counting
        const flights: number[] = [];
        const counting = async <T>(flight: () => Promise<T>) => {
          const before = writes;
          const value = await flight();
          flights.push(writes - before);
          return value;
        };
        const rows = await PipelinedTransaction.run(counted, async (tx) => {
          await counting(() =>
            tx.begin(
              { name: 'flight-writes-1', text: 'SELECT $1::int AS n', values: [1] },
              { name: 'flight-writes-2', text: 'SELECT $1::int + 1 AS n', values: [1] },
            ),
          );
          return counting(() =>
            tx.commitWith<{ n: number }>({
              name: 'flight-writes-3',
              text: 'SELECT $1::int + 2 AS n',
              values: [1],
            }),
          );
        });
        expect(rows).toEqual([{ n: 3 }]);
        return flights;
      } finally {
        await counted.end();
      }
    };
    expect(await writesPerFlight(CoalescingSocket)).toEqual([1, 1]);
    expect(await writesPerFlight(net.Socket)).toEqual([3, 2]);
  });

  it('refuses a connection that is not in pipeline mode', async () => {
    const plain = new pg.Pool({
      connectionString: (ctx.db.options as { url: string }).url,
      max: 1,
    });
    try {
      expect(await settle(PipelinedTransaction.run(plain, () => Promise.resolve()))).toMatch(
        /pipeline mode/,
      );
    } finally {
      await plain.end();
    }
  });

  it('rolls back when the last statement fails: its COMMIT, already sent, answers ROLLBACK', async () => {
    const table = `pipelined_${randomUUID().slice(0, 8)}`;
    await ctx.db.query(`CREATE TABLE ${table} (n int PRIMARY KEY)`);
    const outcome = await settle(
      PipelinedTransaction.run(pool(), async (tx) => {
        await tx.begin({ text: `INSERT INTO ${table} VALUES (1)` });
        await tx.commitWith({ text: `INSERT INTO ${table} VALUES (2), (1)` });
      }),
    );
    expect(outcome).toMatch(/duplicate key/);
    expect(await ctx.db.query(`SELECT n FROM ${table}`)).toEqual([]);
    // Work that throws between the flights is rolled back too; a failed BEGIN flight as well.
    await settle(
      PipelinedTransaction.run(pool(), async (tx) => {
        await tx.begin({ text: `INSERT INTO ${table} VALUES (3)` });
        throw new Error('refused in JavaScript');
      }),
    );
    expect(
      await settle(PipelinedTransaction.run(pool(), (tx) => tx.begin({ text: `SELECT 1 / 0` }))),
    ).toMatch(/division by zero/);
    expect(await ctx.db.query(`SELECT n FROM ${table}`)).toEqual([]);
    expect(await poolIsClean()).toBe(true);
    await ctx.db.query(`DROP TABLE ${table}`);
  });

  it('writes nothing when the Idempotency-Key was stored between the claim and the write', async () => {
    const store = await ctx.newStore();
    const product = await ctx.newProduct(store, 10);
    const customer = await ctx.newUser();
    const key = randomUUID();
    const orderId = randomUUID();
    const outcome = await settle(
      PipelinedTransaction.run(pool(), async (tx) => {
        const [locked] = await tx.begin<{ locked: boolean; price_minor: number }>(
          ...claimAndLockStatements({
            userId: customer.id,
            key,
            storeId: store.id,
            productIds: [product.id],
          }),
        );
        expect(locked?.locked).toBe(true);
        // What no api request can do (they wait for the key's lock): a row stored meanwhile.
        await ctx.db.query(
          `INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body, expires_at)
           VALUES ($1, $2, 'other', 201, '{}', now() + interval '1 hour')`,
          [customer.id, key],
        );
        await tx.commitWith(
          writePlacementStatement(
            write(orderId, customer.id, store.id, key, product, locked!.price_minor),
          ),
        );
      }),
    );
    expect(outcome).toBe(PLACEMENT_REFUSALS.keyTaken);
    expect(await ctx.db.query(`SELECT id FROM orders WHERE id = $1`, [orderId])).toEqual([]);
    expect(await ctx.db.query(`SELECT 1 FROM order_events WHERE order_id = $1`, [orderId])).toEqual(
      [],
    );
    expect(await ctx.stockOf(store.id, product.id)).toBe(10);
    expect(await ctx.ledgerOf(store.id, product.id)).toBe(10);
    expect(await poolIsClean()).toBe(true);
  });

  /** One unit of the product, as the api would write it. */
  function write(
    orderId: string,
    userId: string,
    storeId: string,
    key: string,
    product: { id: string; sku: string; name: string; unitLabel: string },
    price: number,
  ) {
    const now = new Date();
    const order = {
      id: orderId,
      userId,
      storeId,
      status: 'PLACED',
      paymentMethod: 'cod',
      version: 1,
      address: { line1: '1 Test Road', city: 'Bengaluru', pincode: '560001', lat: 0, lng: 0 },
      note: null,
      currency: 'INR',
      subtotalMinor: price,
      deliveryFeeMinor: 0,
      smallBasketFeeMinor: 0,
      discountMinor: 0,
      discounts: [],
      taxes: [],
      totalMinor: price,
      promisedBy: now,
      placedAt: now,
    } as unknown as Order;
    return {
      order,
      items: [
        {
          orderId,
          productId: product.id,
          sku: product.sku,
          name: product.name,
          unitLabel: product.unitLabel,
          unitPriceMinor: price,
          quantity: 1,
          lineTotalMinor: price,
          discountMinor: 0,
          taxRateBp: 500,
        },
      ],
      event: {
        orderId,
        seq: 1,
        type: 'order.placed' as const,
        fromStatus: null,
        toStatus: 'PLACED' as const,
        actorId: userId,
        actorRole: 'customer' as const,
        reason: null,
        data: {},
        createdAt: now,
      },
      maxOpenOrders: 100,
      promotions: [],
      idempotency: { key, requestHash: 'test', responseBody: {} },
    };
  }
});
