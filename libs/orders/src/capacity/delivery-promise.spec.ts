import { promisedBy } from './delivery-promise.js';

describe('promisedBy', () => {
  const at = new Date('2026-11-26T10:00:00Z');
  const rules = { packingSeconds: 240, riderSpeedKmh: 20, minimumMinutes: 5 };
  const minutes = (d: Date) => (d.getTime() - at.getTime()) / 60_000;

  it('is packing plus the ride, rounded up to the minute', () => {
    // 3 km at 20 km/h = 9 min, + 4 min packing.
    expect(minutes(promisedBy(at, 3000, rules))).toBe(13);
    // 1 km = 3 min, + 4 = 7.
    expect(minutes(promisedBy(at, 1000, rules))).toBe(7);
    expect(minutes(promisedBy(at, 1010, rules))).toBe(8);
  });

  it('grows with distance and never drops under the minimum promise', () => {
    expect(minutes(promisedBy(at, 0, rules))).toBe(5);
    expect(minutes(promisedBy(at, 0, { ...rules, minimumMinutes: 10 }))).toBe(10);
    expect(promisedBy(at, 5000, rules).getTime()).toBeGreaterThan(
      promisedBy(at, 2000, rules).getTime(),
    );
  });
});
