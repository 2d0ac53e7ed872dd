import {
  claimAndLockStatements,
  writePlacementStatement,
  type PlacementWrite,
} from './placement-statements.js';

/**
 * The placement statements as PostgreSQL receives them: every `$n` has a value, every value a
 * `$n`, and the relations inventory's fragments produce are the ones read (the statements are
 * built when this module loads: a CTE read before it is produced throws there).
 */
describe('placement statements', () => {
  const placeholders = (text: string) =>
    new Set([...text.matchAll(/\$(\d+)/g)].map(([, n]) => Number(n)));

  it('number every parameter once and bind a value to each', () => {
    const write = writePlacementStatement(example());
    const statements = [
      ...claimAndLockStatements({ userId: 'u', key: 'k', storeId: 's', productIds: ['p'] }),
      write,
    ];
    for (const s of statements) {
      const used = placeholders(s.text);
      expect([...used].sort((a, b) => a - b)).toEqual(s.values.map((_, i) => i + 1));
      expect(s.values).not.toContain(undefined);
    }
    expect(write.values).toContain('order-1');
    expect(write.text).toMatch(/FROM stock_taken\)::int AS taken/);
    expect(write.text).toMatch(/stock_ledger AS \(\s*INSERT INTO stock_movements/);
  });

  it('keep the text of each named statement the same whatever the values', () => {
    const a = writePlacementStatement(example());
    const b = writePlacementStatement({ ...example(), maxOpenOrders: 1 });
    expect(a.name).toBe(b.name);
    expect(a.text).toBe(b.text);
  });
});

function example(): PlacementWrite {
  const now = new Date();
  return {
    order: {
      id: 'order-1',
      userId: 'user-1',
      storeId: 'store-1',
      riderId: null,
      status: 'PLACED',
      paymentMethod: 'cod',
      version: 1,
      address: { line1: '1 Road', city: 'Bengaluru', pincode: '560001', lat: 0, lng: 0 },
      note: null,
      currency: 'INR',
      subtotalMinor: 100,
      deliveryFeeMinor: 0,
      smallBasketFeeMinor: 0,
      discountMinor: 0,
      discounts: [],
      taxes: [],
      totalMinor: 100,
      refundDueMinor: 0,
      promisedBy: now,
      cancelReason: null,
      placedAt: now,
      updatedAt: now,
    },
    items: [
      {
        orderId: 'order-1',
        productId: 'product-1',
        sku: 'SKU',
        name: 'Milk',
        unitLabel: '1 l',
        unitPriceMinor: 100,
        quantity: 1,
        lineTotalMinor: 100,
        discountMinor: 0,
        taxRateBp: 500,
      },
    ],
    event: {
      orderId: 'order-1',
      seq: 1,
      type: 'order.placed',
      fromStatus: null,
      toStatus: 'PLACED',
      actorId: 'user-1',
      actorRole: 'customer',
      reason: null,
      data: {},
      createdAt: now,
    },
    promotions: [],
    maxOpenOrders: 3,
    idempotency: { key: 'key-1', requestHash: 'hash', responseBody: {} },
  };
}
