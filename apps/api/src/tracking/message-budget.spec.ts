import { MessageBudget } from './message-budget.js';

describe('MessageBudget', () => {
  it('allows a burst, then refills at the sustained rate, never above the burst', () => {
    const budget = new MessageBudget(10, 5, 0);
    expect(Array.from({ length: 7 }, () => budget.take(0))).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(budget.take(50)).toBe(false); // half a message refilled
    expect(budget.take(100)).toBe(true); // one
    expect(budget.take(100)).toBe(false);
    const rested = Array.from({ length: 7 }, () => budget.take(60_000));
    expect(rested.filter(Boolean)).toHaveLength(5);
  });
});
