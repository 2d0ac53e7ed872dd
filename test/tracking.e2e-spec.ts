import { startApi, startWorker, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import {
  placeOrder as placeFor,
  signup,
  userWithRole,
  type TestUser,
} from './harness/factories.js';
import { onShiftAt } from './harness/rider-shift.js';
import { HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
import { TrackingClient } from './harness/tracking-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('realtime tracking', () => {
  let database: IsolatedDatabase;
  let env: Record<string, string>;
  let a: RunningApp;
  let b: RunningApp;
  let httpA: HttpClient;
  let httpB: HttpClient;
  let admin: TestUser;
  let make: CatalogFactory;
  const clients: TrackingClient[] = [];

  beforeAll(async () => {
    database = await isolatedDatabase();
    env = {
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_trk`,
      TRACKING_AUTH_RECHECK_MS: '300',
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100',
    };
    [a, b] = await Promise.all([startApi(env), startApi(env)]);
    httpA = new HttpClient(a.url);
    httpB = new HttpClient(b.url);
    admin = await userWithRole(a.app, httpA, 'admin');
    make = new CatalogFactory(httpA, admin.accessToken);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await database.drop();
  });

  async function connect(app: RunningApp, token: string) {
    const client = await TrackingClient.connect(app.url, token);
    clients.push(client);
    return client;
  }

  async function placeOrder() {
    const { store, product, address } = await make.stockedStore(10);
    const customer = await signup(httpA);
    const res = await placeFor(httpA, customer.accessToken, {
      productId: product.id,
      quantity: 1,
      address,
    });
    expect(res.status).toBe(201);
    return { order: res.body, customer, store };
  }

  const move = (http: HttpClient, orderId: string, body: object) =>
    http.post(`/v1/admin/orders/${orderId}/transitions`, body, { token: admin.accessToken });

  it('refuses connections without a valid token', async () => {
    await expect(TrackingClient.connect(a.url)).rejects.toThrow(/Unauthorized/);
    await expect(TrackingClient.connect(a.url, 'not-a-token')).rejects.toThrow(/Unauthorized/);
    const customer = await signup(httpA);
    await httpA.post('/v1/auth/logout', {}, { token: customer.accessToken });
    await expect(TrackingClient.connect(a.url, customer.accessToken)).rejects.toThrow(
      /Unauthorized/,
    );
  });

  it('lets a customer subscribe to their own order only', async () => {
    const { order, customer } = await placeOrder();
    const client = await connect(a, customer.accessToken);
    expect(await client.emit('subscribe', { orderId: order.id })).toEqual({
      ok: true,
      order: { id: order.id, status: 'PLACED', seq: 1 },
    });
    const stranger = await connect(a, (await signup(httpA)).accessToken);
    expect(await stranger.emit('subscribe', { orderId: order.id })).toEqual({
      ok: false,
      error: 'NOT_FOUND',
    });
    expect(await stranger.emit('subscribe', { orderId: 'nope' })).toEqual({
      ok: false,
      error: 'BAD_REQUEST',
    });
    expect(await client.emit('subscribe', { orderId: order.id, afterSeq: 1e15 })).toEqual({
      ok: false,
      error: 'BAD_REQUEST',
    });
  });

  it('answers an event it has no handler for with UNKNOWN_EVENT, never leaving the ack waiting', async () => {
    const client = await connect(a, (await signup(httpA)).accessToken);
    for (const event of [
      'constructor',
      'toString',
      'hasOwnProperty',
      'subscribe.all',
      'order.event',
    ])
      expect(await client.emit(event, {})).toEqual({ ok: false, error: 'UNKNOWN_EVENT' });
    // The socket is still served.
    expect(await client.emit('subscribe', { orderId: 'nope' })).toEqual({
      ok: false,
      error: 'BAD_REQUEST',
    });
  });

  it('delivers a REST status change as order.event with the right seq', async () => {
    const { order, customer } = await placeOrder();
    const client = await connect(a, customer.accessToken);
    await client.emit('subscribe', { orderId: order.id });
    await move(httpA, order.id, { to: 'PACKED' });
    const [event] = await client.eventsOf(order.id, 1);
    expect(event).toMatchObject({
      orderId: order.id,
      seq: 2,
      type: 'order.packed',
      status: 'PACKED',
      at: expect.any(String),
    });
  });

  it('delivers to a client on instance A an event committed through instance B', async () => {
    const { order, customer } = await placeOrder();
    const onA = await connect(a, customer.accessToken);
    await onA.emit('subscribe', { orderId: order.id });
    await move(httpB, order.id, { to: 'PACKED' });
    // Sent out by hand needs a rider on shift at the store; going on shift offers them the order.
    const onShift = await userWithRole(a.app, httpA, 'rider');
    await onShiftAt(httpB, onShift, order.storeId);
    await move(httpB, order.id, { to: 'OUT_FOR_DELIVERY', riderId: onShift.id });
    const events = await onA.eventsOf(order.id, 3);
    expect(events.map((e) => [e.seq, e.type, e.status])).toEqual([
      [2, 'order.packed', 'PACKED'],
      [3, 'order.rider_offered', 'PACKED'],
      [4, 'order.out_for_delivery', 'OUT_FOR_DELIVERY'],
    ]);
  });

  it('replays exactly the missed events on reconnect with afterSeq, then goes live', async () => {
    const { order, customer } = await placeOrder();
    const first = await connect(a, customer.accessToken);
    await first.emit('subscribe', { orderId: order.id });
    await move(httpA, order.id, { to: 'PACKED' });
    const [seen] = await first.eventsOf(order.id, 1);
    first.close();
    // Missed while away: the offer made as the rider goes on shift, and the send-out.
    const onShift = await userWithRole(a.app, httpA, 'rider');
    await onShiftAt(httpA, onShift, order.storeId);
    await move(httpA, order.id, { to: 'OUT_FOR_DELIVERY', riderId: onShift.id });

    const again = await connect(b, customer.accessToken);
    const ack = await again.emit('subscribe', { orderId: order.id, afterSeq: seen.seq });
    expect(ack).toMatchObject({ ok: true, order: { seq: 4 } });
    await httpA.post(
      `/v1/rider/orders/${order.id}/transitions`,
      { to: 'DELIVERED' },
      { token: onShift.accessToken },
    );
    const events = await again.eventsOf(order.id, 3);
    await sleep(200);
    expect(again.events.filter((e) => e.orderId === order.id).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(events[2].status).toBe('DELIVERED');
  });

  it('delivers an event caused by the worker (auto-cancel)', async () => {
    const worker = await startWorker({ ...env, ORDER_PACK_TIMEOUT_SECONDS: '1' });
    const producerApp = await startApi({ ...env, ORDER_PACK_TIMEOUT_SECONDS: '1' });
    try {
      const { product, address } = await make.stockedStore(5);
      const customer = await signup(httpA);
      // Placed through an api with the short pack timeout, so its auto-cancel job fires soon.
      const res = await placeFor(new HttpClient(producerApp.url), customer.accessToken, {
        productId: product.id,
        quantity: 1,
        address,
      });
      const client = await connect(a, customer.accessToken);
      await client.emit('subscribe', { orderId: res.body.id });
      const [event] = await client.eventsOf(res.body.id, 1, 15_000);
      expect(event).toMatchObject({ seq: 2, status: 'CANCELLED', type: 'order.cancelled' });
      expect(event.data).toMatchObject({ status: 'CANCELLED' });
    } finally {
      await producerApp.close();
      await worker.close();
    }
  });

  it('shows the demo simulation live: states and rider positions sent by the worker', async () => {
    const demo = { ...env, DELIVERY_SIMULATION: 'true', DELIVERY_SIMULATION_STEP_SECONDS: '1' };
    const worker = await startWorker(demo);
    const demoApi = await startApi(demo);
    try {
      const { store, product, address } = await make.stockedStore(5);
      const customer = await signup(httpA);
      const res = await placeFor(new HttpClient(demoApi.url), customer.accessToken, {
        productId: product.id,
        quantity: 1,
        address: { ...address, lat: store.latitude + 0.01 },
      });
      const client = await connect(a, customer.accessToken);
      await client.emit('subscribe', { orderId: res.body.id, afterSeq: 0 });
      const events = await client.eventsOf(res.body.id, 4, 20_000);
      expect(events.map((e) => e.status)).toEqual([
        'PLACED',
        'PACKED',
        'OUT_FOR_DELIVERY',
        'DELIVERED',
      ]);
      expect(client.locations.length).toBeGreaterThanOrEqual(1);
      for (const location of client.locations) {
        expect(location.orderId).toBe(res.body.id);
        expect(location.lat).toBeGreaterThan(store.latitude);
        expect(location.lat).toBeLessThan(store.latitude + 0.01);
      }
    } finally {
      await demoApi.close();
      await worker.close();
    }
  });

  it('disconnects a socket whose user logs out', async () => {
    const customer = await signup(httpA);
    const client = await connect(a, customer.accessToken);
    const disconnected = new Promise<string>((resolve) =>
      client.socket.once('disconnect', resolve),
    );
    await httpA.post('/v1/auth/logout', {}, { token: customer.accessToken });
    expect(await Promise.race([disconnected, sleep(3_000).then(() => 'still connected')])).toBe(
      'io server disconnect',
    );
  });

  it('streams every order event of a store to an admin ops board', async () => {
    const board = await connect(a, admin.accessToken);
    const { order, store } = await placeOrder();
    expect(await board.emit('subscribe.store', { storeId: store.id })).toEqual({ ok: true });
    await move(httpB, order.id, { to: 'PACKED' });
    const seen = await board
      .eventsOf(order.id, 2)
      .then(() => board.events.filter((e) => e.orderId === order.id));
    // The placement may or may not still be in flight when the board subscribes; the packing is not.
    expect(seen.at(-1)).toMatchObject({ seq: 2, status: 'PACKED' });
    const customer = await connect(a, (await signup(httpA)).accessToken);
    expect(await customer.emit('subscribe.store', { storeId: store.id })).toEqual({
      ok: false,
      error: 'FORBIDDEN',
    });
  });

  it('relays rider locations for their order out for delivery, at most one per second', async () => {
    const { order, customer } = await placeOrder();
    const rider = await userWithRole(a.app, httpA, 'rider'); // on shift at this order's store
    const watcher = await connect(b, customer.accessToken);
    await watcher.emit('subscribe', { orderId: order.id });
    const riderSocket = await connect(a, rider.accessToken);
    expect(
      await riderSocket.emit('rider.location', { orderId: order.id, lat: 12.9, lng: 77.6 }),
    ).toEqual({ ok: false, error: 'NOT_FOUND' });
    await sleep(1_050); // that message counted against the rider's one per second
    await move(httpA, order.id, { to: 'PACKED' });
    await onShiftAt(httpA, rider, order.storeId);
    await move(httpA, order.id, { to: 'OUT_FOR_DELIVERY', riderId: rider.id });
    expect(
      await riderSocket.emit('rider.location', { orderId: order.id, lat: 12.9, lng: 77.6 }),
    ).toEqual({ ok: true });
    expect(
      await riderSocket.emit('rider.location', { orderId: order.id, lat: 12.91, lng: 77.61 }),
    ).toEqual({ ok: false, error: 'RATE_LIMITED' });
    expect(
      await riderSocket.emit('rider.location', { orderId: order.id, lat: 200, lng: 77.61 }),
    ).toEqual({ ok: false, error: 'BAD_REQUEST' });
    await sleep(1_050);
    expect(
      await riderSocket.emit('rider.location', { orderId: order.id, lat: 12.92, lng: 77.62 }),
    ).toEqual({ ok: true });
    for (let i = 0; i < 40 && watcher.locations.length < 2; i++) await sleep(50);
    expect(watcher.locations.map((l) => [l.lat, l.lng])).toEqual([
      [12.9, 77.6],
      [12.92, 77.62],
    ]);
    expect(watcher.locations[0]).toMatchObject({ orderId: order.id, at: expect.any(String) });
    expect(await watcher.emit('rider.location', { orderId: order.id, lat: 1, lng: 1 })).toEqual({
      ok: false,
      error: 'FORBIDDEN',
    });
  });

  describe('a role change applies to open sockets at once (not only at the next periodic re-check)', () => {
    let c: RunningApp;
    beforeAll(async () => {
      // Its periodic re-check is 30 s: what these tests see comes from the change itself.
      c = await startApi({ ...env, TRACKING_AUTH_RECHECK_MS: '30000' });
    });
    afterAll(() => c.close());

    const demote = (user: TestUser) =>
      httpA.patch(`/v1/admin/users/${user.id}`, { role: 'customer' }, { token: admin.accessToken });
    const ended = (client: TrackingClient) => {
      const seen: any[] = [];
      client.socket.on('unsubscribed', (m) => seen.push(m));
      return seen;
    };
    async function until(condition: () => boolean, ms = 3_000) {
      for (const deadline = Date.now() + ms; !condition() && Date.now() < deadline;)
        await sleep(20);
    }

    it("an admin demoted to customer loses subscribe.store, its store events and others' orders", async () => {
      const formerAdmin = await userWithRole(a.app, httpA, 'admin');
      const board = await connect(c, formerAdmin.accessToken);
      const endedOnBoard = ended(board);
      const { order, store, customer } = await placeOrder();
      const other = await placeOrder();
      expect(await board.emit('subscribe.store', { storeId: store.id })).toEqual({ ok: true });
      expect(await board.emit('subscribe', { orderId: order.id })).toMatchObject({ ok: true });

      expect((await demote(formerAdmin)).status).toBe(200);
      expect((await httpA.get('/v1/admin/users', { token: formerAdmin.accessToken })).status).toBe(
        403,
      );
      await until(() => endedOnBoard.length === 2);
      expect(endedOnBoard).toEqual(
        expect.arrayContaining([
          { storeId: store.id, error: 'FORBIDDEN' },
          { orderId: order.id, error: 'NOT_FOUND' },
        ]),
      );
      expect(await board.emit('subscribe.store', { storeId: store.id })).toEqual({
        ok: false,
        error: 'FORBIDDEN',
      });
      expect(await board.emit('subscribe', { orderId: other.order.id })).toEqual({
        ok: false,
        error: 'NOT_FOUND',
      });

      // The order's own customer sees the next event; the former admin's board does not.
      const owner = await connect(c, customer.accessToken);
      await owner.emit('subscribe', { orderId: order.id });
      const before = board.events.length;
      await move(httpB, order.id, { to: 'PACKED' });
      expect(await owner.eventsOf(order.id, 1)).toHaveLength(1);
      await sleep(300);
      expect(board.events.slice(before)).toEqual([]);
      expect(board.socket.connected).toBe(true); // still a customer's socket
    });

    it('a rider demoted to customer loses rider.location and the order they carried', async () => {
      const formerRider = await userWithRole(a.app, httpA, 'rider');
      const { order } = await placeOrder();
      await move(httpA, order.id, { to: 'PACKED' });
      await onShiftAt(httpA, formerRider, order.storeId);
      await move(httpA, order.id, { to: 'OUT_FOR_DELIVERY', riderId: formerRider.id });
      const socket = await connect(c, formerRider.accessToken);
      const endedOnSocket = ended(socket);
      expect(await socket.emit('subscribe', { orderId: order.id })).toMatchObject({ ok: true });
      const position = { orderId: order.id, lat: 12.9, lng: 77.6 };
      expect(await socket.emit('rider.location', position)).toEqual({ ok: true });

      expect((await demote(formerRider)).status).toBe(200);
      await until(() => endedOnSocket.length === 1);
      expect(endedOnSocket).toEqual([{ orderId: order.id, error: 'NOT_FOUND' }]);
      await sleep(1_050); // past the one-per-second position limit
      expect(await socket.emit('rider.location', position)).toEqual({
        ok: false,
        error: 'FORBIDDEN',
      });
    });
  });

  describe('limits: sockets per user and per IP across instances, messages per socket', () => {
    const limits = {
      TRUST_PROXY: 'true', // each test speaks for its own client address (X-Forwarded-For)
      TRACKING_MAX_SOCKETS_PER_USER: '3',
      TRACKING_MAX_SOCKETS_PER_IP: '5',
      TRACKING_MESSAGES_PER_SECOND: '5',
      TRACKING_MESSAGE_BURST: '10',
    };
    let l1: RunningApp;
    let l2: RunningApp;
    beforeAll(async () => {
      [l1, l2] = await Promise.all([
        startApi({ ...env, ...limits }),
        startApi({ ...env, ...limits }),
      ]);
    });
    afterAll(async () => {
      for (const client of clients.splice(0)) client.close();
      await Promise.all([l1.close(), l2.close()]);
    });

    let lastIp = 0;
    const newIp = () => `198.51.100.${++lastIp}`;
    const open = (app: RunningApp, token: string, ip: string) =>
      TrackingClient.connect(app.url, token, { extraHeaders: { 'x-forwarded-for': ip } }).then(
        (client) => {
          clients.push(client);
          return client;
        },
      );
    const refusal = (app: RunningApp, token: string, ip: string) =>
      open(app, token, ip).then(
        () => undefined,
        (err: Error & { data?: unknown }) => ({ message: err.message, data: err.data }),
      );

    it("refuses a user's 4th socket on any instance with TooManyConnections; a closed one frees a place", async () => {
      const user = await signup(httpA);
      const ip = newIp();
      const first = await open(l1, user.accessToken, ip);
      await open(l2, user.accessToken, ip);
      await open(l1, user.accessToken, ip);
      const refused = await refusal(l2, user.accessToken, ip);
      expect(refused).toEqual({
        message:
          'TooManyConnections: this user already has 3 open tracking connections; close one first',
        data: {
          statusCode: 429,
          error: 'Too Many Requests',
          code: 'RATE_LIMITED',
          message:
            'TooManyConnections: this user already has 3 open tracking connections; close one first',
        },
      });
      first.close();
      await sleep(200); // the disconnect reaches the server and is counted out
      expect(await refusal(l2, user.accessToken, ip)).toBeUndefined();
    });

    it("admits exactly the limit when one user's connects race on two instances", async () => {
      const user = await signup(httpA);
      const ip = newIp();
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) => refusal(i % 2 ? l1 : l2, user.accessToken, ip)),
      );
      expect(outcomes.filter((o) => o === undefined)).toHaveLength(3);
      expect(
        outcomes.filter((o) => o?.message.startsWith('TooManyConnections: this user')),
      ).toHaveLength(9);
    });

    it("refuses an IP's 6th socket whoever the user, on any instance", async () => {
      const ip = newIp();
      const users = await Promise.all([signup(httpA), signup(httpA), signup(httpA)]);
      for (const [i, user] of users.entries())
        for (let n = 0; n < (i < 2 ? 2 : 1); n++) await open(n ? l2 : l1, user.accessToken, ip);
      const refused = await refusal(l2, users[2].accessToken, ip);
      expect(refused?.message).toBe(
        'TooManyConnections: this IP address already has 5 open tracking connections; close one first',
      );
      expect(refused?.data).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
      // Another address is not affected.
      expect(await refusal(l2, users[2].accessToken, newIp())).toBeUndefined();
    });

    it("answers messages past the socket's budget with RATE_LIMITED, before any lookup", async () => {
      const { order, customer } = await placeOrder();
      const client = await open(l1, customer.accessToken, newIp());
      const acks = await Promise.all(
        Array.from({ length: 40 }, () => client.emit('subscribe', { orderId: order.id })),
      );
      const limited = acks.filter((ack) => ack.error === 'RATE_LIMITED').length;
      expect(acks.filter((ack) => ack.ok)).toHaveLength(40 - limited);
      expect(limited).toBeGreaterThanOrEqual(40 - 10 - 2); // burst 10, + 5/s while they arrive
      expect(acks.find((ack) => !ack.ok)).toEqual({ ok: false, error: 'RATE_LIMITED' });
      await sleep(1_000);
      expect(await client.emit('subscribe', { orderId: order.id })).toMatchObject({ ok: true });
    });
  });
});
