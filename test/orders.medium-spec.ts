import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { IdempotencyKeys } from '#libs/orders';
import { DomainError } from '#libs/platform';
import { ServiceContext } from './harness/service-context.js';

const SYSTEM = { id: null, role: 'system' } as const;

/** Order services against the real PostgreSQL, without HTTP: races and side effects. */
describe('orders (services)', () => {
  let ctx: ServiceContext;

  beforeAll(async () => {
    // Concurrent placements of one customer race in the database, as across api instances.
    ctx = await ServiceContext.start({ MAX_OPEN_ORDERS_PER_CUSTOMER: '3' }, [], {
      raceInDatabase: true,
    });
  });
  afterAll(() => ctx.close());

  const settle = <T>(work: Promise<T>) =>
    work.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const codeOf = (r: { ok: boolean; error?: unknown }) =>
    r.ok ? 'ok' : r.error instanceof DomainError ? r.error.code : String(r.error);

  const eventsOf = async (orderId: string) =>
    (
      await ctx.db.query(`SELECT type FROM order_events WHERE order_id = $1 ORDER BY seq`, [
        orderId,
      ])
    ).map((r: { type: string }) => r.type);

  it('places with its first event, its packBy and its ledger row', async () => {
    const { order, store, product } = await ctx.newOrder({ quantity: 3 });
    expect(order.timeline?.[0]).toMatchObject({ seq: 1, type: 'order.placed', toStatus: 'PLACED' });
    expect(Date.parse(order.timeline![0].data.packBy as string)).toBeGreaterThan(Date.now());
    expect(await ctx.stockOf(store.id, product.id)).toBe(7);
    expect(await ctx.ledgerOf(store.id, product.id)).toBe(7);
  });

  it('looks for a stored response only after a refusal that can hide one', async () => {
    const keys = ctx.module.get(IdempotencyKeys);
    const replay = jest.spyOn(keys, 'replay');
    try {
      const store = await ctx.newStore();
      const product = await ctx.newProduct(store, 1);
      const customer = await ctx.newUser();
      const key = randomUUID();
      const body = {
        items: [{ productId: product.id, quantity: 2 }],
        address: ctx.addressAt(store),
      };
      // Refused after the claim, which saw every stored response: no replay query.
      expect(codeOf(await settle(ctx.placement.place(customer.id, key, body)))).toBe(
        'INSUFFICIENT_STOCK',
      );
      expect(replay).not.toHaveBeenCalled();
      // Refused before the key is read (a retry may come after the store stopped delivering
      // there): the response stored under the key, if any, is the answer.
      const nowhere = { ...body, address: { ...body.address, lat: -89.9, lng: 0 } };
      expect(codeOf(await settle(ctx.placement.place(customer.id, randomUUID(), nowhere)))).toBe(
        'NOT_SERVICEABLE',
      );
      expect(replay).toHaveBeenCalledTimes(1);
    } finally {
      replay.mockRestore();
    }
  });

  it('cancels once when the customer, an admin and the sweeper cancel at the same time', async () => {
    const { order, store, product, customerId } = await ctx.newOrder({ quantity: 2 });
    const results = await Promise.all([
      settle(
        ctx.transitions.transition(
          order.id,
          { id: customerId, role: 'customer' },
          { to: 'CANCELLED' },
        ),
      ),
      settle(ctx.transitions.transition(order.id, ctx.admin(), { to: 'CANCELLED' })),
      settle(ctx.transitions.transition(order.id, SYSTEM, { from: 'PLACED', to: 'CANCELLED' })),
    ]);
    expect(results.map(codeOf).sort()).toEqual(['INVALID_TRANSITION', 'INVALID_TRANSITION', 'ok']);
    expect(await eventsOf(order.id)).toEqual(['order.placed', 'order.cancelled']);
    expect(await ctx.stockOf(store.id, product.id)).toBe(10);
    expect(await ctx.ledgerOf(store.id, product.id)).toBe(10);
  });

  it('lets exactly one of pack and cancel win, with only the winner’s side effects', async () => {
    for (let i = 0; i < 5; i++) {
      const { order, store, product } = await ctx.newOrder({ quantity: 4 });
      const [pack, cancel] = await Promise.all([
        settle(ctx.transitions.transition(order.id, ctx.admin(), { to: 'PACKED' })),
        settle(ctx.transitions.transition(order.id, SYSTEM, { from: 'PLACED', to: 'CANCELLED' })),
      ]);
      expect([pack.ok, cancel.ok].filter(Boolean)).toHaveLength(1);
      const [status] = await ctx.db.query(`SELECT status FROM orders WHERE id = $1`, [order.id]);
      expect(status.status).toBe(pack.ok ? 'PACKED' : 'CANCELLED');
      expect(await ctx.stockOf(store.id, product.id)).toBe(pack.ok ? 6 : 10);
      expect(await ctx.ledgerOf(store.id, product.id)).toBe(pack.ok ? 6 : 10);
    }
  });

  it('holds the open-order cap when orders go to different stores at once', async () => {
    const customer = await ctx.newUser();
    const stores = await Promise.all(Array.from({ length: 10 }, () => ctx.newStore()));
    const products = await Promise.all(stores.map((s) => ctx.newProduct(s)));
    const results = await Promise.all(
      stores.map((store, i) =>
        settle(ctx.newOrder({ customerId: customer.id, store, product: products[i] })),
      ),
    );
    expect(results.map(codeOf).filter((c) => c === 'ok')).toHaveLength(3);
    expect(results.map(codeOf).filter((c) => c !== 'ok')).toEqual(
      Array(7).fill('TOO_MANY_OPEN_ORDERS'),
    );
    let left = 0;
    for (const [i, store] of stores.entries()) left += await ctx.stockOf(store.id, products[i].id);
    expect(left).toBe(10 * 10 - 3);
  });

  it('places and cancels the same product at once without a deadlock (one lock order)', async () => {
    // Placement locks stock rows, then (inserting the order) its store's open-orders counter; a
    // cancel must take them in the same order, or the two wait for each other.
    const store = await ctx.newStore();
    const product = await ctx.newProduct(store, 10_000);
    const customers = await Promise.all(Array.from({ length: 12 }, () => ctx.newUser()));
    const outcomes: string[] = [];
    const deadline = Date.now() + 3_000;
    await Promise.all(
      customers.map(async (customer) => {
        while (Date.now() < deadline) {
          const placed = await settle(ctx.newOrder({ customerId: customer.id, store, product }));
          outcomes.push(codeOf(placed));
          if (!placed.ok) continue;
          const cancelled = await settle(
            ctx.transitions.transition(
              placed.value.order.id,
              { id: customer.id, role: 'customer' },
              { to: 'CANCELLED' },
            ),
          );
          outcomes.push(codeOf(cancelled));
        }
      }),
    );
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(24);
    expect(await ctx.stockOf(store.id, product.id)).toBe(10_000);
    expect(await ctx.ledgerOf(store.id, product.id)).toBe(10_000);
  });

  it('refuses to send an order out with someone who is not an active rider, writing nothing', async () => {
    const { order } = await ctx.newOrder();
    await ctx.transitions.transition(order.id, ctx.admin(), { to: 'PACKED' });
    const customer = await ctx.newUser();
    const refused = await settle(
      ctx.transitions.transition(order.id, ctx.admin(), {
        to: 'OUT_FOR_DELIVERY',
        riderId: customer.id,
      }),
    );
    expect(codeOf(refused)).toBe('VALIDATION_FAILED');
    expect(await eventsOf(order.id)).toEqual(['order.placed', 'order.packed']);
  });
});
