import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobProducer, JOBS, QUEUES } from '#libs/jobs';
import { NotificationsService } from '#libs/notifications';
import { OrderTransitions } from '#libs/orders';
import { startApi, startWorker, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import {
  placeOrder as placeFor,
  signup,
  userWithRole,
  type TestUser,
} from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
import { AppProcess } from './harness/app-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

describe('jobs and the worker', () => {
  let database: IsolatedDatabase;
  let env: Record<string, string>;
  let api: RunningApp;
  let http: HttpClient;
  let db: DataSource;
  let admin: TestUser;
  let make: CatalogFactory;

  beforeAll(async () => {
    // Own database and queues: the sweeper scans whole tables.
    database = await isolatedDatabase();
    env = {
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_jobs`,
      ORDER_PACK_TIMEOUT_SECONDS: '2',
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100',
    };
    api = await startApi(env);
    http = new HttpClient(api.url);
    db = api.app.get(DataSource);
    admin = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
  });
  afterAll(async () => {
    await api.close();
    await database.drop();
  });

  async function placeOrder(quantity = 2) {
    const { store, product, address } = await make.stockedStore(10);
    const customer = await signup(http);
    const res = await placeFor(http, customer.accessToken, {
      productId: product.id,
      quantity,
      address,
    });
    expect(res.status).toBe(201);
    return { order: res.body, store, product, customer };
  }

  const statusOf = async (orderId: string) =>
    (await db.query(`SELECT status FROM orders WHERE id = $1`, [orderId]))[0].status;
  const stockOf = async (storeId: string, productId: string) =>
    (
      await db.query(`SELECT quantity FROM store_stock WHERE store_id = $1 AND product_id = $2`, [
        storeId,
        productId,
      ])
    )[0].quantity;
  const cancellations = async (orderId: string) =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM order_events WHERE order_id = $1 AND to_status = 'CANCELLED'`,
        [orderId],
      )
    )[0].n;
  /** The admin's SLA alerts for an order. */
  const slaAlerts = async (orderId: string): Promise<number> =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = $1 AND user_id = $2`,
        [`sla:${orderId}`, admin.id],
      )
    )[0].n;

  const releases = async (orderId: string) =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM stock_movements WHERE order_id = $1 AND reason = 'order_released'`,
        [orderId],
      )
    )[0].n;

  describe('with an in-process worker', () => {
    let worker: RunningApp;
    beforeAll(async () => {
      worker = await startWorker({ ...env, ORDER_SWEEP_INTERVAL_MS: '1000' });
    });
    afterAll(() => worker.close());

    it('auto-cancels an order not packed in time and returns its stock once', async () => {
      const { order, store, product } = await placeOrder(3);
      expect(await stockOf(store.id, product.id)).toBe(7);
      expect(
        await until(
          () => statusOf(order.id),
          (s) => s === 'CANCELLED',
        ),
      ).toBe('CANCELLED');
      expect(await stockOf(store.id, product.id)).toBe(10);
      expect(await cancellations(order.id)).toBe(1);
      expect(await releases(order.id)).toBe(1);
      const [event] = await db.query(
        `SELECT reason, actor_role FROM order_events WHERE order_id = $1 AND to_status = 'CANCELLED'`,
        [order.id],
      );
      expect(event).toEqual({ reason: 'auto_cancel_timeout', actor_role: 'system' });
    });

    it('leaves a packed order alone when the late job runs', async () => {
      const { order } = await placeOrder();
      expect(
        (
          await http.post(
            `/v1/admin/orders/${order.id}/transitions`,
            { to: 'PACKED' },
            { token: admin.accessToken },
          )
        ).status,
      ).toBe(200);
      await sleep(3_500);
      expect(await statusOf(order.id)).toBe('PACKED');
      const job = await api.app
        .get<Queue>(getQueueToken(QUEUES.orders))
        .getJob(`auto-cancel-${order.id}`);
      expect(await job?.getState()).toBe('completed');
      expect(job?.returnvalue).toBe('skipped');
    });

    it('sweeps up an order whose job was lost', async () => {
      const queue = api.app.get<Queue>(getQueueToken(QUEUES.orders));
      const { order } = await placeOrder();
      const job = await until(
        () => queue.getJob(`auto-cancel-${order.id}`),
        (j) => j !== undefined,
        5_000,
      );
      await job!.remove();
      expect(
        await until(
          () => statusOf(order.id),
          (s) => s === 'CANCELLED',
        ),
      ).toBe('CANCELLED');
      expect(await cancellations(order.id)).toBe(1);
    });

    it('makes one cancellation when auto-cancel is enqueued twice', async () => {
      const producer = api.app.get(JobProducer);
      const { order, store, product } = await placeOrder(4);
      const packBy = new Date(order.timeline[0].data.packBy);
      await producer.scheduleAutoCancel(order.id, packBy);
      await producer.scheduleAutoCancel(order.id, packBy);
      expect(
        await until(
          () => statusOf(order.id),
          (s) => s === 'CANCELLED',
        ),
      ).toBe('CANCELLED');
      await sleep(500);
      expect(await cancellations(order.id)).toBe(1);
      expect(await releases(order.id)).toBe(1);
      expect(await stockOf(store.id, product.id)).toBe(10);
    });

    it('notifies the customer of each status change, once each, readable unread-first', async () => {
      const { order, customer } = await placeOrder();
      await http.post(
        `/v1/admin/orders/${order.id}/transitions`,
        { to: 'PACKED' },
        { token: admin.accessToken },
      );
      const list = await until(
        () => http.get('/v1/notifications', { token: customer.accessToken }),
        (r) => r.body.items.length >= 2,
      );
      expect(list.body.items.map((n: any) => n.type).sort()).toEqual([
        'order.packed',
        'order.placed',
      ]);
      const first = list.body.items[0];
      const read = await http.post(`/v1/notifications/${first.id}/read`, undefined, {
        token: customer.accessToken,
      });
      expect(read.body.readAt).toEqual(expect.any(String));
      const again = await http.get('/v1/notifications', { token: customer.accessToken });
      expect(again.body.items.at(-1).id).toBe(first.id); // read ones sink
      const stranger = await signup(http);
      expect(
        (
          await http.post(`/v1/notifications/${first.id}/read`, undefined, {
            token: stranger.accessToken,
          })
        ).status,
      ).toBe(404);
    });

    it('creates one notification when the same notification job runs twice', async () => {
      const { customer, order } = await placeOrder();
      const service = worker.app.get(NotificationsService);
      const input = {
        userId: customer.id,
        orderId: order.id,
        dedupeKey: `test:${order.id}`,
        type: 't',
        title: 'T',
        body: 'B',
      };
      await Promise.all([service.notify(input), service.notify(input)]);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = $1`,
        [input.dedupeKey],
      );
      expect(n).toBe(1);
    });

    it('records a missed delivery promise once and alerts admins', async () => {
      const { order } = await placeOrder();
      await http.post(
        `/v1/admin/orders/${order.id}/transitions`,
        { to: 'PACKED' },
        { token: admin.accessToken },
      );
      await db.query(`UPDATE orders SET promised_by = now() - interval '1 minute' WHERE id = $1`, [
        order.id,
      ]);
      // Its own delayed check is minutes away; run the check now, twice (it must alert once).
      const delivery = api.app.get<Queue>(getQueueToken(QUEUES.delivery));
      await delivery.add(JOBS.slaCheck, { orderId: order.id });
      await delivery.add(JOBS.slaCheck, { orderId: order.id });
      const breached = async () =>
        (
          await db.query(
            `SELECT count(*)::int AS n FROM order_events WHERE order_id = $1 AND type = 'order.sla_breached'`,
            [order.id],
          )
        )[0].n;
      expect(await until(breached, (n) => n === 1)).toBe(1);
      expect(
        await until(
          () => slaAlerts(order.id),
          (n) => n === 1,
        ),
      ).toBe(1);
    });
  });

  describe('operations', () => {
    it('keeps Bull Board admin-only: 401 without a token, 403 for others', async () => {
      const board = await http.get('/admin/queues/api/queues');
      expect(board.status).toBe(401);
      expect(board.body).toMatchObject({
        statusCode: 401,
        code: 'UNAUTHORIZED',
        requestId: expect.any(String),
      });
      const customer = await signup(http);
      expect(
        (await http.get('/admin/queues/api/queues', { token: customer.accessToken })).status,
      ).toBe(403);
      const ok = await http.get('/admin/queues/api/queues', { token: admin.accessToken });
      expect(ok.status).toBe(200);
      expect(ok.body.queues.map((q: any) => q.name).sort()).toEqual([
        'delivery',
        'dispatch',
        'maintenance',
        'notifications',
        'orders',
        'payments',
        'simulation',
      ]);
    });

    it('exposes the named Prometheus metrics on the api and the worker', async () => {
      await placeOrder();
      const apiMetrics = await until(
        () => http.get('/metrics'),
        (r) => String(r.body).includes('flashcart_order_events_total{type="order.placed"}'),
      );
      expect(apiMetrics.status).toBe(200);
      for (const name of [
        'flashcart_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/v1/orders",status_code="201"}',
        'flashcart_queue_jobs{queue="orders",state="delayed"}',
        'flashcart_order_events_total{type="order.placed"}',
        'flashcart_websocket_connections',
        'flashcart_process_resident_memory_bytes',
      ]) {
        expect(apiMetrics.body).toContain(name);
      }
      const worker = await startWorker(env);
      try {
        await until(
          () => new HttpClient(worker.url).get('/metrics'),
          (r) => String(r.body).includes('flashcart_job_duration_seconds_count'),
        );
        const workerMetrics = await new HttpClient(worker.url).get('/metrics');
        expect(workerMetrics.body).toContain('flashcart_job_duration_seconds_count{queue=');
        expect(workerMetrics.body).toContain('flashcart_queue_jobs{queue="notifications"');
      } finally {
        await worker.close();
      }
    });

    it('requires METRICS_TOKEN when one is configured', async () => {
      const guarded = await startApi({ ...env, METRICS_TOKEN: 'a-long-metrics-token-123' });
      try {
        const client = new HttpClient(guarded.url);
        expect((await client.get('/metrics')).status).toBe(401);
        const ok = await client.get('/metrics', {
          headers: { authorization: 'Bearer a-long-metrics-token-123' },
        });
        expect(ok.status).toBe(200);
        // The scheme is case-insensitive (RFC 7235), as the REST API reads it.
        for (const scheme of ['bearer', 'BEARER', 'bEaReR'])
          expect(
            (
              await client.get('/metrics', {
                headers: { authorization: `${scheme} a-long-metrics-token-123` },
              })
            ).status,
          ).toBe(200);
        for (const wrong of [
          'Basic a-long-metrics-token-123',
          'Bearer',
          'a-long-metrics-token-123',
        ])
          expect((await client.get('/metrics', { headers: { authorization: wrong } })).status).toBe(
            401,
          );
      } finally {
        await guarded.close();
      }
    });
  });

  describe('a breach recorded by a process that stops right after', () => {
    it('still alerts the admins (the alert follows the committed event)', async () => {
      const { order } = await placeOrder();
      await db.query(`UPDATE orders SET promised_by = now() - interval '1 minute' WHERE id = $1`, [
        order.id,
      ]);
      // The api records the breach and does nothing else, as a worker killed right after would.
      expect(await api.app.get(OrderTransitions).markSlaBreached(order.id)).toBe(true);
      const worker = await startWorker(env);
      try {
        expect(
          await until(
            () => slaAlerts(order.id),
            (n) => n === 1,
          ),
        ).toBe(1);
      } finally {
        await worker.close();
      }
    });
  });

  describe('as a real process', () => {
    it('finishes a job after being killed mid-job, with no duplicate effect', async () => {
      const { order, store, product } = await placeOrder(5);
      // Hold the order row so the worker's cancel blocks mid-transaction.
      const blocker = db.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      await blocker.query(`SELECT id FROM orders WHERE id = $1 FOR UPDATE`, [order.id]);
      const first = await AppProcess.start('worker', { ...env, JOB_LOCK_MS: '2000' });
      const queue = api.app.get<Queue>(getQueueToken(QUEUES.orders));
      await until(
        async () => (await queue.getJob(`auto-cancel-${order.id}`))?.getState(),
        (s) => s === 'active',
      );
      first.kill('SIGKILL');
      await first.exited;
      await blocker.rollbackTransaction();
      await blocker.release();

      const second = await AppProcess.start('worker', { ...env, JOB_LOCK_MS: '2000' });
      try {
        expect(
          await until(
            () => statusOf(order.id),
            (s) => s === 'CANCELLED',
            20_000,
          ),
        ).toBe('CANCELLED');
        await sleep(500);
        expect(await cancellations(order.id)).toBe(1);
        expect(await releases(order.id)).toBe(1);
        expect(await stockOf(store.id, product.id)).toBe(10);
      } finally {
        second.kill('SIGTERM');
        await second.exited;
      }
    }, 60_000);

    it('exits 0 within 10 s on SIGTERM', async () => {
      const worker = await AppProcess.start('worker', env);
      const started = Date.now();
      worker.kill('SIGTERM');
      const { code } = await worker.exited;
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });
});
