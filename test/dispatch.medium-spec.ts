import { randomUUID } from 'node:crypto';
import { Dispatcher, DispatchModule, RiderShifts } from '#libs/dispatch';
import { StockService, StoresService, type Store } from '#libs/inventory';
import { OrderShortPicks } from '#libs/orders';
import { DomainError } from '#libs/platform';
import { ServiceContext } from './harness/service-context.js';

const SYSTEM = { id: null, role: 'system' } as const;

const settle = <T>(work: Promise<T>) =>
  work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
const codeOf = (r: { ok: boolean; error?: unknown }) =>
  r.ok ? 'ok' : r.error instanceof DomainError ? r.error.code : String(r.error);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Dispatch, store capacity and short picks against the real PostgreSQL: the races. */
describe('dispatch (services)', () => {
  let ctx: ServiceContext;
  let dispatcher: Dispatcher;
  let shifts: RiderShifts;

  beforeAll(async () => {
    ctx = await ServiceContext.start(
      { RIDER_MAX_ORDERS: '2', RIDER_BATCH_RADIUS_M: '5000', RIDER_OFFER_TIMEOUT_SECONDS: '60' },
      [DispatchModule],
    );
    dispatcher = ctx.module.get(Dispatcher);
    shifts = ctx.module.get(RiderShifts);
  });
  afterAll(() => ctx.close());

  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    ctx.db.query(sql, params) as Promise<T[]>;
  const eventsOf = async (orderId: string) =>
    (
      await q<{ type: string }>(`SELECT type FROM order_events WHERE order_id = $1 ORDER BY seq`, [
        orderId,
      ])
    ).map((r) => r.type);
  const offersOf = (orderId: string) =>
    q<{ id: string; rider_id: string; status: string; attempt: number }>(
      `SELECT id, rider_id, status, attempt FROM rider_offers WHERE order_id = $1 ORDER BY attempt`,
      [orderId],
    );
  const openOffer = async (orderId: string) =>
    (await offersOf(orderId)).find((o) => o.status === 'OFFERED');
  const orderRow = async (orderId: string) =>
    (
      await q<{ status: string; rider_id: string | null }>(
        `SELECT status, rider_id FROM orders WHERE id = $1`,
        [orderId],
      )
    )[0];
  const ridersOnShift = async (store: Store, n: number) => {
    const riders = [];
    for (let i = 0; i < n; i++) {
      const rider = await ctx.newUser('rider');
      await shifts.change(rider.id, { state: 'AVAILABLE', storeId: store.id });
      riders.push(rider.id);
    }
    return riders;
  };
  const packedOrder = async (store: Store) => {
    const { order } = await ctx.newOrder({ store });
    await ctx.transitions.transition(order.id, ctx.admin(), { to: 'PACKED' });
    return order.id;
  };

  it('gives each of 20 orders packed at once exactly one rider, none over its load (5 riders, 2 each)', async () => {
    const store = await ctx.newStore();
    const product = await ctx.newProduct(store, 100);
    const riders = await ridersOnShift(store, 5);
    const placed = await Promise.all(
      Array.from({ length: 20 }, () => ctx.newOrder({ store, product }).then((o) => o.order.id)),
    );
    await Promise.all(
      placed.map((id) => ctx.transitions.transition(id, ctx.admin(), { to: 'PACKED' })),
    );
    // Every process's dispatch consumer at once.
    await Promise.all(placed.flatMap((id) => [dispatcher.offer(id), dispatcher.offer(id)]));
    const maxLoadSeen = new Map<string, number>();
    for (let round = 0; round < 40; round++) {
      // Each rider accepts what is offered to them, while waiting orders are offered again.
      await Promise.all([
        ...riders.map(async (riderId) => {
          for (const offer of await shifts.openOffers(riderId))
            await settle(dispatcher.accept(offer.id, riderId));
        }),
        dispatcher.offerWaiting(store.id),
      ]);
      const loads = await q<{ rider_id: string; load: number }>(
        `SELECT rider_id, count(*)::int AS load FROM orders
          WHERE store_id = $1 AND status = 'OUT_FOR_DELIVERY' GROUP BY rider_id`,
        [store.id],
      );
      for (const { rider_id, load } of loads)
        maxLoadSeen.set(rider_id, Math.max(maxLoadSeen.get(rider_id) ?? 0, load));
      const out = await q<{ id: string; rider_id: string }>(
        `SELECT id, rider_id FROM orders WHERE store_id = $1 AND status = 'OUT_FOR_DELIVERY'`,
        [store.id],
      );
      if (out.length === 0 && round > 0) {
        const left = await q(`SELECT 1 FROM orders WHERE store_id = $1 AND status = 'PACKED'`, [
          store.id,
        ]);
        if (left.length === 0) break;
      }
      // Deliveries free the riders; the consumer offers the waiting orders.
      if (round % 3 === 2) {
        await Promise.all(
          out.map((o) =>
            ctx.transitions.transition(
              o.id,
              { id: o.rider_id, role: 'rider' },
              { to: 'DELIVERED' },
            ),
          ),
        );
        await dispatcher.offerWaiting(store.id);
      }
    }
    expect([...maxLoadSeen.values()].every((load) => load <= 2)).toBe(true);
    expect(Math.max(...maxLoadSeen.values())).toBe(2);
    for (const id of placed) {
      const order = await orderRow(id);
      expect(order.status).toBe('DELIVERED');
      const accepted = (await offersOf(id)).filter((o) => o.status === 'ACCEPTED');
      expect(accepted).toHaveLength(1);
      expect(accepted[0].rider_id).toBe(order.rider_id);
      expect((await eventsOf(id)).filter((t) => t === 'order.out_for_delivery')).toHaveLength(1);
    }
  });

  it('lets one of two riders accepting the same order at once win; the other gets 409', async () => {
    const store = await ctx.newStore();
    const [a, b] = await ridersOnShift(store, 2);
    const orderId = await packedOrder(store);
    await dispatcher.offer(orderId);
    const first = (await openOffer(orderId))!;
    // The first offer runs out; the next rider is offered the order; both accept at once.
    await q(
      `UPDATE rider_offers SET expires_at = clock_timestamp(), offered_at = clock_timestamp() - interval '1 minute' WHERE id = $1`,
      [first.id],
    );
    expect(await dispatcher.expire(first.id)).toBe('expired');
    const second = (await openOffer(orderId))!;
    expect(second.rider_id).not.toBe(first.rider_id);
    const byRider = new Map([
      [first.rider_id, first.id],
      [second.rider_id, second.id],
    ]);
    const results = await Promise.all(
      [a, b].map((riderId) => settle(dispatcher.accept(byRider.get(riderId)!, riderId))),
    );
    const winner = second.rider_id;
    expect(results.map(codeOf)).toEqual([a, b].map((r) => (r === winner ? 'ok' : 'OFFER_EXPIRED')));
    expect(await orderRow(orderId)).toEqual({ status: 'OUT_FOR_DELIVERY', rider_id: winner });
    // The same rider twice at once (a double tap): one acceptance.
    const other = await packedOrder(store);
    const riderC = (await ridersOnShift(store, 1))[0];
    await dispatcher.offer(other);
    const offer = (await openOffer(other))!;
    expect(offer.rider_id).not.toBe(winner);
    const twice = await Promise.all(
      [1, 2].map(() => settle(dispatcher.accept(offer.id, offer.rider_id))),
    );
    expect(twice.map(codeOf).sort()).toEqual(['OFFER_NOT_OPEN', 'ok']);
    expect([first.rider_id, riderC]).toContain(offer.rider_id);
  });

  it('an offer expiring while being accepted ends one way only', async () => {
    const store = await ctx.newStore();
    const [rider] = await ridersOnShift(store, 1);
    const outcomes = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const orderId = await packedOrder(store);
      await dispatcher.offer(orderId);
      const offer = (await openOffer(orderId))!;
      await q(
        `UPDATE rider_offers SET offered_at = clock_timestamp() - interval '1 minute',
                expires_at = clock_timestamp() + interval '30 milliseconds' WHERE id = $1`,
        [offer.id],
      );
      await sleep(20 + (i % 4) * 5);
      const [accept, expire] = await Promise.all([
        settle(dispatcher.accept(offer.id, rider)),
        (async () => {
          for (;;) {
            const r = await settle(dispatcher.expire(offer.id));
            if (r.ok) return r.value;
            await sleep(5);
          }
        })(),
      ]);
      const row = (await offersOf(orderId)).find((o) => o.id === offer.id)!;
      const order = await orderRow(orderId);
      if (accept.ok) {
        expect(expire).toBe('answered');
        expect(row.status).toBe('ACCEPTED');
        expect(order).toEqual({ status: 'OUT_FOR_DELIVERY', rider_id: rider });
      } else {
        expect(codeOf(accept)).toBe('OFFER_EXPIRED');
        expect(expire).toBe('expired');
        expect(row.status).toBe('EXPIRED');
        expect(order.status).toBe('PACKED');
        expect(order.rider_id).toBeNull();
      }
      outcomes.add(accept.ok ? 'accepted' : 'expired');
      // Free the rider for the next round.
      await ctx.transitions
        .transition(orderId, ctx.admin(), { to: 'CANCELLED' })
        .catch(() => undefined);
      await dispatcher.withdraw(orderId, 'order_cancelled');
    }
    expect(outcomes.size).toBeGreaterThan(0);
  });

  it('a rider going off shift with an open offer: accepted or declined, never both', async () => {
    for (let i = 0; i < 6; i++) {
      const store = await ctx.newStore();
      const [a, b] = await ridersOnShift(store, 2);
      const orderId = await packedOrder(store);
      await dispatcher.offer(orderId);
      const offer = (await openOffer(orderId))!;
      const holder = offer.rider_id;
      const [accept] = await Promise.all([
        settle(dispatcher.accept(offer.id, holder)),
        shifts.change(holder, { state: 'OFF_DUTY' }),
      ]);
      const order = await orderRow(orderId);
      const offers = await offersOf(orderId);
      if (accept.ok) {
        expect(order).toEqual({ status: 'OUT_FOR_DELIVERY', rider_id: holder });
        expect(offers.map((o) => o.status)).toEqual(['ACCEPTED']);
      } else {
        expect(codeOf(accept)).toBe('OFFER_NOT_OPEN');
        expect(order.status).toBe('PACKED');
        // Declined by going off shift; the order went to the other rider.
        expect(offers.map((o) => [o.rider_id, o.status])).toEqual([
          [holder, 'DECLINED'],
          [holder === a ? b : a, 'OFFERED'],
        ]);
      }
      expect((await shifts.get(holder)).state).toBe('OFF_DUTY');
    }
  });

  it('offers the next rider when an offer times out, and says who had it', async () => {
    const store = await ctx.newStore();
    await ridersOnShift(store, 2);
    const orderId = await packedOrder(store);
    await dispatcher.offer(orderId);
    const first = (await openOffer(orderId))!;
    await q(
      `UPDATE rider_offers SET offered_at = clock_timestamp() - interval '1 minute', expires_at = clock_timestamp() WHERE id = $1`,
      [first.id],
    );
    // The sweeper (a lost timeout job) does what the job would.
    expect((await dispatcher.sweep()).expired).toBeGreaterThanOrEqual(1);
    const offers = await offersOf(orderId);
    expect(offers.map((o) => o.status)).toEqual(['EXPIRED', 'OFFERED']);
    expect(offers[1].rider_id).not.toBe(first.rider_id);
    expect(offers[1].attempt).toBe(2);
    const [event] = await q<{ data: Record<string, unknown> }>(
      `SELECT data FROM order_events WHERE order_id = $1 AND type = 'order.rider_offered' ORDER BY seq DESC LIMIT 1`,
      [orderId],
    );
    expect(event.data).toMatchObject({
      riderId: offers[1].rider_id,
      attempt: 2,
      previous: { riderId: first.rider_id, outcome: 'EXPIRED' },
    });
    // A declined order goes back to nobody who declined it: it waits, and the board is told.
    await dispatcher.decline(offers[1].id, offers[1].rider_id);
    const third = (await openOffer(orderId))!;
    expect(third.rider_id).toBe(first.rider_id);
    await dispatcher.decline(third.id, third.rider_id);
    expect(await openOffer(orderId)).toBeUndefined();
    expect((await eventsOf(orderId)).slice(-1)).toEqual(['order.awaiting_rider']);
  });

  it('keeps a packed order waiting while nobody is available, and offers it when a rider comes on shift', async () => {
    const store = await ctx.newStore();
    const orderId = await packedOrder(store);
    expect(await dispatcher.offer(orderId)).toEqual({ kind: 'waiting', noted: false });
    expect(await eventsOf(orderId)).toEqual(['order.placed', 'order.packed']);
    const rider = await ctx.newUser('rider');
    await shifts.change(rider.id, { state: 'AVAILABLE', storeId: store.id });
    const offer = (await openOffer(orderId))!;
    expect(offer.rider_id).toBe(rider.id);
    expect(await eventsOf(orderId)).toEqual([
      'order.placed',
      'order.packed',
      'order.rider_offered',
    ]);
    const view = await shifts.get(rider.id);
    expect(view).toMatchObject({ state: 'AVAILABLE', load: 0, openOfferId: offer.id });
    await dispatcher.accept(offer.id, rider.id);
    expect(await shifts.get(rider.id)).toMatchObject({ load: 1, openOfferId: null });
  });

  describe('store capacity', () => {
    const place = (customerId: string, productId: string, store: Store, pinned: boolean) =>
      settle(
        ctx.placement.place(customerId, randomUUID(), {
          items: [{ productId, quantity: 1 }],
          address: ctx.addressAt(store),
          ...(pinned ? { storeId: store.id } : {}),
        }),
      );

    it('refuses STORE_BUSY with retryAfter beyond the limit, under concurrency (different customers and products)', async () => {
      const store = await ctx.newStore();
      await ctx.module.get(StoresService).update(store.id, { maxOpenOrders: 4 });
      const products = await Promise.all(
        Array.from({ length: 12 }, () => ctx.newProduct(store, 5)),
      );
      const customers = await Promise.all(products.map(() => ctx.newUser()));
      const results = await Promise.all(
        products.map((p, i) => place(customers[i].id, p.id, store, true)),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(4);
      const refused = results.filter((r) => !r.ok);
      expect(refused.map(codeOf)).toEqual(Array(8).fill('STORE_BUSY'));
      const details = (refused[0].error as DomainError).details;
      expect(details.retryAfter).toEqual(expect.any(Number));
      expect(details.retryAfter as number).toBeGreaterThanOrEqual(10);
      // Packing does not free room (PACKED counts); sending out does.
      const [one] = results.filter((r) => r.ok).map((r) => (r.ok ? r.value.body.id : ''));
      await ctx.transitions.transition(one, ctx.admin(), { to: 'PACKED' });
      expect(codeOf(await place(customers[5].id, products[5].id, store, true))).toBe('STORE_BUSY');
      await ctx.transitions.transition(one, ctx.admin(), { to: 'CANCELLED' });
      expect(codeOf(await place(customers[5].id, products[5].id, store, true))).toBe('ok');
    });

    it('places at another store serving the address when the nearest is full and no store was pinned', async () => {
      const near = await ctx.newStore();
      const stores = ctx.module.get(StoresService);
      const far = await stores.create({
        name: `Far ${randomUUID().slice(0, 6)}`,
        code: `F-${randomUUID().slice(0, 8)}`,
        latitude: near.latitude + 0.005,
        longitude: near.longitude,
        serviceRadiusM: 3000,
        maxOpenOrders: 3,
      });
      await stores.update(near.id, { maxOpenOrders: 3 });
      const product = await ctx.newProduct(near, 50);
      await ctx.module.get(StockService).set(far.id, product.id, 50, 'restock', ctx.admin().id);
      const customers = await Promise.all(Array.from({ length: 9 }, () => ctx.newUser()));
      const results = await Promise.all(customers.map((c) => place(c.id, product.id, near, false)));
      const at = results.filter((r) => r.ok).map((r) => (r.ok ? r.value.body.storeId : ''));
      expect(at.filter((s) => s === near.id)).toHaveLength(3);
      expect(at.filter((s) => s === far.id)).toHaveLength(3);
      expect(results.filter((r) => !r.ok).map(codeOf)).toEqual(Array(3).fill('STORE_BUSY'));
    });
  });

  describe('short picks', () => {
    const shortPicks = () => ctx.module.get(OrderShortPicks);

    it('recomputes lines and totals, records the refund due, the shrinkage and an event', async () => {
      const store = await ctx.newStore();
      const a = await ctx.newProduct(store, 10);
      const b = await ctx.newProduct(store, 10);
      const customer = await ctx.newUser();
      const { body: order } = await ctx.placement.place(customer.id, randomUUID(), {
        items: [
          { productId: a.id, quantity: 3 },
          { productId: b.id, quantity: 2 },
        ],
        address: ctx.addressAt(store),
      });
      // 5 × 4500 = 22500: free delivery.
      expect(order.total.amount).toBe(22_500);
      const view = await shortPicks().markShort(order.id, a.id, 1, ctx.admin());
      expect(view.items.find((i) => i.productId === a.id)?.quantity).toBe(1);
      expect(view.subtotal.amount).toBe(13_500);
      expect(view.total.amount).toBe(13_500);
      expect(view.refundDue.amount).toBe(9_000);
      expect(view.status).toBe('PLACED');
      expect(view.timeline?.at(-1)).toMatchObject({
        type: 'order.short_picked',
        data: { productId: a.id, ordered: 3, found: 1, refundMinor: 9_000, refundDueMinor: 9_000 },
      });
      // The shelf is empty: the count was wrong by the 2 missing units and the 7 it still claimed.
      expect(await ctx.stockOf(store.id, a.id)).toBe(0);
      expect(await ctx.ledgerOf(store.id, a.id)).toBe(0);
      const ledger = await q<{ reason: string; delta: number }>(
        `SELECT reason, delta FROM stock_movements WHERE store_id = $1 AND product_id = $2 ORDER BY id`,
        [store.id, a.id],
      );
      expect(ledger.slice(-2)).toEqual([
        { reason: 'order_released', delta: 2 },
        { reason: 'short_pick', delta: -9 },
      ]);
      expect(await ctx.stockOf(store.id, b.id)).toBe(8);
      // Found as many as ordered is no short pick.
      expect(codeOf(await settle(shortPicks().markShort(order.id, b.id, 2, ctx.admin())))).toBe(
        'VALIDATION_FAILED',
      );
    });

    it('cancels a fully short order (out_of_stock) with everything due back', async () => {
      const { order, store, product } = await ctx.newOrder({ quantity: 2 });
      await ctx.transitions.transition(order.id, ctx.admin(), { to: 'PACKED' });
      const view = await shortPicks().markShort(order.id, product.id, 0, ctx.admin());
      expect(view.status).toBe('CANCELLED');
      expect(view.cancelReason).toBe('out_of_stock');
      expect(view.items).toEqual([]);
      expect(view.total.amount).toBe(0);
      expect(view.refundDue.amount).toBe(order.total.amount);
      expect(await eventsOf(order.id)).toEqual([
        'order.placed',
        'order.packed',
        'order.short_picked',
        'order.cancelled',
      ]);
      expect(await ctx.stockOf(store.id, product.id)).toBe(0);
      expect(await ctx.ledgerOf(store.id, product.id)).toBe(0);
      // Out of the store: no more short picks.
      expect(
        codeOf(await settle(shortPicks().markShort(order.id, product.id, 0, ctx.admin()))),
      ).toBe('INVALID_TRANSITION');
    });

    it('short picks racing a cancel: one wins, stock and ledger agree', async () => {
      for (let i = 0; i < 4; i++) {
        const { order, store, product } = await ctx.newOrder({ quantity: 3 });
        const [pick, cancel] = await Promise.all([
          settle(shortPicks().markShort(order.id, product.id, 1, ctx.admin())),
          settle(ctx.transitions.transition(order.id, SYSTEM, { from: 'PLACED', to: 'CANCELLED' })),
        ]);
        expect(cancel.ok).toBe(true);
        expect(await ctx.stockOf(store.id, product.id)).toBe(
          await ctx.ledgerOf(store.id, product.id),
        );
        if (pick.ok) expect(await ctx.stockOf(store.id, product.id)).toBe(1);
      }
    });
  });
});
