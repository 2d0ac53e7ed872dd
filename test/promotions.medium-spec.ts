import { randomUUID } from 'node:crypto';
import {
  claimUses,
  EDIT_LOCK_TIMEOUT_MS,
  PromotionsModule,
  Promotions,
  releaseUses,
} from '#libs/promotions';
import type { PromotionInput } from '#libs/promotions';
import { DomainError, toErrorBody } from '#libs/platform';
import { sessionsWaitingOnLocks } from './harness/lock-waits.js';
import { ServiceContext } from './harness/service-context.js';

/** Promotion uses against the real PostgreSQL: limits claimed race-free, given back once. */
describe('promotion uses (services)', () => {
  let ctx: ServiceContext;
  let promotions: Promotions;

  beforeAll(async () => {
    ctx = await ServiceContext.start({ MAX_OPEN_ORDERS_PER_CUSTOMER: '20' }, [PromotionsModule]);
    promotions = ctx.module.get(Promotions);
  });
  afterAll(() => ctx.close());

  const input = (over: Partial<PromotionInput> = {}): PromotionInput => ({
    code: `SAVE${randomUUID().slice(0, 8).toUpperCase()}`,
    name: 'Save ₹50',
    kind: 'flat',
    percentBp: null,
    maxDiscountMinor: null,
    amountMinor: 5000,
    buyQuantity: null,
    freeQuantity: null,
    productIds: null,
    categoryIds: null,
    storeIds: null,
    minBasketMinor: 0,
    startsAt: null,
    endsAt: null,
    firstOrderOnly: false,
    perCustomerLimit: null,
    usageLimit: null,
    paused: false,
    ...over,
  });
  const claim = (orderId: string, userId: string, ...promotionIds: string[]) =>
    ctx.db
      .transaction((tx) =>
        claimUses(
          tx,
          orderId,
          userId,
          promotionIds.map((promotionId) => ({ promotionId, amountMinor: 5000 })),
        ),
      )
      .then(
        () => 'ok',
        (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
      );
  const usedOf = async (id: string) => (await promotions.get(id)).used;
  const redemptionsOf = async (id: string) =>
    (
      await ctx.db.query(
        `SELECT count(*)::int AS n FROM promotion_redemptions WHERE promotion_id = $1 AND released_at IS NULL`,
        [id],
      )
    )[0].n as number;

  /** `n` orders of different customers (20 to a store: a store's capacity is limited). */
  async function ordersOfCustomers(n: number) {
    const made = [];
    for (let i = 0; i < n; i += 20) {
      const store = await ctx.newStore();
      const product = await ctx.newProduct(store, 20);
      made.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, n - i) }, () => ctx.newOrder({ store, product })),
        )),
      );
    }
    return made.map((m) => ({ orderId: m.order.id, customerId: m.customerId }));
  }

  it('gives the last 50 uses of a code to exactly 50 of 200 customers claiming at once', async () => {
    const promo = await promotions.create(input({ usageLimit: 50 }));
    const orders = await ordersOfCustomers(200);
    const results = await Promise.all(orders.map((o) => claim(o.orderId, o.customerId, promo.id)));
    expect(results.filter((r) => r === 'ok')).toHaveLength(50);
    expect(results.filter((r) => r === 'PROMOTION_UNAVAILABLE')).toHaveLength(150);
    expect(await usedOf(promo.id)).toBe(50);
    expect(await redemptionsOf(promo.id)).toBe(50);
  }, 120_000);

  it('holds a per-customer limit when one customer claims from many orders at once', async () => {
    const promo = await promotions.create(input({ perCustomerLimit: 2 }));
    const store = await ctx.newStore();
    const product = await ctx.newProduct(store, 50);
    const customerId = (await ctx.newUser()).id;
    const orders = [];
    for (let i = 0; i < 8; i++)
      orders.push((await ctx.newOrder({ store, product, customerId })).order.id);
    const results = await Promise.all(orders.map((id) => claim(id, customerId, promo.id)));
    expect(results.filter((r) => r === 'ok')).toHaveLength(2);
    expect(await usedOf(promo.id)).toBe(2);
  });

  it('gives a use back exactly once, however often the release runs, and it can be claimed again', async () => {
    const promo = await promotions.create(input({ usageLimit: 1 }));
    const [first, second] = await ordersOfCustomers(2);
    expect(await claim(first!.orderId, first!.customerId, promo.id)).toBe('ok');
    expect(await claim(second!.orderId, second!.customerId, promo.id)).toBe(
      'PROMOTION_UNAVAILABLE',
    );
    const released = await Promise.all(
      Array.from({ length: 6 }, () => ctx.db.transaction((tx) => releaseUses(tx, first!.orderId))),
    );
    expect(released.flat()).toEqual([promo.id]);
    expect(await usedOf(promo.id)).toBe(0);
    expect(await claim(second!.orderId, second!.customerId, promo.id)).toBe('ok');
    expect(await usedOf(promo.id)).toBe(1);
  });

  /** Claims in a transaction left open until `release` is called (its locks held meanwhile). */
  function claimHeldOpen(orderId: string, userId: string, promotionId: string) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let claimed!: () => void;
    const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const done = ctx.db.transaction(async (tx) => {
      await claimUses(tx, orderId, userId, [{ promotionId, amountMinor: 5000 }]);
      claimed();
      await held;
    });
    return { isClaimed, release, done };
  }

  it('lets orders carrying a promotion without a usage limit claim it without waiting on one another', async () => {
    // Counted in the promotion's row, every such order queued on that row's lock until the one
    // before it committed: a shop-wide "5 % off" let one order commit at a time.
    const promo = await promotions.create(input());
    const [first, second] = await ordersOfCustomers(2);
    const open = claimHeldOpen(first!.orderId, first!.customerId, promo.id);
    await open.isClaimed;
    const meanwhile = await ctx.db
      .transaction(async (tx) => {
        await tx.query(`SET LOCAL lock_timeout = '2s'`);
        await claimUses(tx, second!.orderId, second!.customerId, [
          { promotionId: promo.id, amountMinor: 5000 },
        ]);
      })
      .then(
        () => 'ok',
        (e: unknown) => String(e),
      );
    open.release();
    await open.done;
    expect(meanwhile).toBe('ok');
    expect(await usedOf(promo.id)).toBe(2);
    expect((await promotions.list()).find((p) => p.id === promo.id)?.used).toBe(2);
  });

  it('counts the uses held when a limit is set later, a claim in flight included, then holds the limit', async () => {
    const promo = await promotions.create(input());
    const orders = await ordersOfCustomers(8);
    for (const o of orders.slice(0, 3))
      expect(await claim(o.orderId, o.customerId, promo.id)).toBe('ok');
    const inFlight = claimHeldOpen(orders[3]!.orderId, orders[3]!.customerId, promo.id);
    await inFlight.isClaimed;
    let limitSet = false;
    const setting = promotions.update(promo.id, { usageLimit: 5 }).then((p) => {
      limitSet = true;
      return p;
    });
    // The limit waits for the claim in flight (whose snapshot saw no limit) to commit.
    await sessionsWaitingOnLocks(ctx.db, 1);
    expect(limitSet).toBe(false);
    inFlight.release();
    await inFlight.done;
    expect((await setting).used).toBe(4);
    const [{ counted }] = await ctx.db.query(
      `SELECT counted_uses AS counted FROM promotions WHERE id = $1`,
      [promo.id],
    );
    expect(counted).toBe(4);
    const rest = await Promise.all(
      orders.slice(4).map((o) => claim(o.orderId, o.customerId, promo.id)),
    );
    expect(rest.filter((r) => r === 'ok')).toHaveLength(1);
    expect(await usedOf(promo.id)).toBe(5);
    // A use given back is counted back, and taken again.
    await ctx.db.transaction((tx) => releaseUses(tx, orders[0]!.orderId));
    expect(await usedOf(promo.id)).toBe(4);
    const again = await Promise.all(
      orders.slice(4).map((o) => claim(o.orderId, o.customerId, promo.id)),
    );
    expect(again.filter((r) => r === 'ok')).toHaveLength(1);
    expect(await redemptionsOf(promo.id)).toBe(5);
  });

  it('orders a pause after the claims in flight: the admin is answered once they commit, and no claim after it', async () => {
    // Only read in the order's statement, an unlimited promotion's pause was answered at once
    // while a claim that had read it live committed after.
    const promo = await promotions.create(input());
    const [first, second] = await ordersOfCustomers(2);
    const inFlight = claimHeldOpen(first!.orderId, first!.customerId, promo.id);
    await inFlight.isClaimed;
    let paused = false;
    const pausing = promotions.update(promo.id, { paused: true }).then(() => (paused = true));
    await sessionsWaitingOnLocks(ctx.db, 1);
    expect(paused).toBe(false);
    inFlight.release();
    await inFlight.done;
    await pausing;
    expect(await claim(second!.orderId, second!.customerId, promo.id)).toBe(
      'PROMOTION_UNAVAILABLE',
    );
    expect(await usedOf(promo.id)).toBe(1);
  });

  it('gives up an edit after EDIT_LOCK_TIMEOUT_MS behind a claim stuck in flight (503), and the claims queued behind it go on', async () => {
    // Waiting without end, the edit's lock request held every later placement behind it.
    const promo = await promotions.create(input());
    const [first, second] = await ordersOfCustomers(2);
    const stuck = claimHeldOpen(first!.orderId, first!.customerId, promo.id);
    await stuck.isClaimed;
    const editing = promotions.update(promo.id, { paused: true }).then(
      () => 'saved',
      // What the client is answered.
      (e: unknown) => `${toErrorBody(e, 'r').statusCode} ${toErrorBody(e, 'r').code}`,
    );
    await sessionsWaitingOnLocks(ctx.db, 1);
    const queued = claim(second!.orderId, second!.customerId, promo.id);
    await sessionsWaitingOnLocks(ctx.db, 2); // behind the edit's lock request
    const giveUp = setTimeout(() => stuck.release(), EDIT_LOCK_TIMEOUT_MS + 3_000);
    expect(await editing).toBe('503 DATABASE_UNAVAILABLE');
    expect(await queued).toBe('ok');
    clearTimeout(giveUp);
    stuck.release();
    await stuck.done;
    expect((await promotions.get(promo.id)).paused).toBe(false);
  });

  it('refuses an expired, not yet started or paused promotion at the moment of the claim', async () => {
    const [o] = await ordersOfCustomers(1);
    const expired = await promotions.create(input({ endsAt: new Date(Date.now() - 1) }));
    const early = await promotions.create(input({ startsAt: new Date(Date.now() + 60_000) }));
    const paused = await promotions.create(input({ paused: true }));
    for (const p of [expired, early, paused])
      expect(await claim(o!.orderId, o!.customerId, p.id)).toBe('PROMOTION_UNAVAILABLE');
  });

  it('claims all of an order’s promotions or none', async () => {
    const [o] = await ordersOfCustomers(1);
    const open = await promotions.create(input());
    const gone = await promotions.create(input({ paused: true }));
    expect(await claim(o!.orderId, o!.customerId, open.id, gone.id)).toBe('PROMOTION_UNAVAILABLE');
    expect(await usedOf(open.id)).toBe(0);
    expect(await redemptionsOf(open.id)).toBe(0);
  });

  it('matches codes case-insensitively and refuses a second promotion with the same code', async () => {
    const code = `DUP${randomUUID().slice(0, 6).toUpperCase()}`;
    await promotions.create(input({ code: code.toLowerCase() }));
    await expect(promotions.create(input({ code }))).rejects.toMatchObject({
      code: 'PROMOTION_CODE_TAKEN',
    });
    const store = await ctx.newStore();
    const found = await promotions.forPricing(store.id, ` ${code.toLowerCase()} `, ctx.admin().id);
    expect(found.unknownCode).toBe(false);
    expect(found.promotions.map((p) => p.code)).toContain(code);
    expect((await promotions.forPricing(store.id, 'NOPE-123', ctx.admin().id)).unknownCode).toBe(
      true,
    );
  });
});
