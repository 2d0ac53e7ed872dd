import {
  countMovement,
  inLockOrder,
  insufficientStock,
  shortPickMovements,
} from './stock-rules.js';

const at = { storeId: 's', productId: 'p' };

describe('stock (decisions)', () => {
  it('records a count as the difference, and nothing when it agrees', () => {
    const count = { ...at, reason: 'restock' as const, actorId: 'admin' };
    expect(countMovement(count, 7, 10)).toEqual({ ...count, delta: 3, quantityAfter: 10 });
    expect(countMovement(count, 7, 0)).toEqual({ ...count, delta: -7, quantityAfter: 0 });
    expect(countMovement(count, 7, 7)).toBeNull();
  });

  it('refuses removing more than there is with 409 naming what is left', () => {
    expect(insufficientStock(2, -5)).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      message: 'Only 2 in stock; cannot remove 5',
      details: { available: 2 },
    });
  });

  it('releases an order in the lock order of placement (product id)', () => {
    const lines = [
      { productId: 'c', quantity: 1 },
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 3 },
    ];
    expect(inLockOrder(lines).map((l) => l.productId)).toEqual(['a', 'b', 'c']);
    expect(lines[0]!.productId).toBe('c'); // the caller's lines are left alone
  });

  it('turns a short pick into the release of the missing units and shrinkage down to 0', () => {
    const where = { ...at, orderId: 'o', actorId: 'picker' };
    // 2 of the order's units missing, and the count claimed 3 more on the shelf.
    const { shrinkage, movements } = shortPickMovements(where, 3, 2);
    expect(shrinkage).toBe(5);
    expect(movements.map((m) => [m.reason, m.delta, m.quantityAfter])).toEqual([
      ['order_released', 2, 5],
      ['short_pick', -5, 0],
    ]);
    // The ledger sums to the quantity left: 3 + 2 - 5 = 0.
    expect(3 + movements.reduce((sum, m) => sum + m.delta, 0)).toBe(0);
    // Nothing missing and nothing claimed: nothing to write.
    expect(shortPickMovements(where, 0, 0)).toEqual({ shrinkage: 0, movements: [] });
    expect(shortPickMovements(where, 4, 0).movements.map((m) => m.reason)).toEqual(['short_pick']);
  });
});
