/** What the delivery promise is made of (configuration: `dispatch` and `orders`). */
export interface PromiseRules {
  packingSeconds: number;
  riderSpeedKmh: number;
  /** The shortest promise made, minutes. */
  minimumMinutes: number;
}

/**
 * When an order placed at `placedAt`, `distanceM` from its store, is promised: packing, then the
 * ride at the riders' speed, rounded up to the minute, never sooner than the minimum promise.
 */
export function promisedBy(placedAt: Date, distanceM: number, rules: PromiseRules): Date {
  const rideSeconds = distanceM / ((rules.riderSpeedKmh * 1000) / 3600);
  const minutes = Math.max(
    rules.minimumMinutes,
    Math.ceil((rules.packingSeconds + rideSeconds) / 60),
  );
  return new Date(placedAt.getTime() + minutes * 60_000);
}
