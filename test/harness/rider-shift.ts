import type { HttpClient } from './http-client.js';

/**
 * Puts a rider on shift at a store (PUT /v1/rider/shift): sending an order out by hand needs a
 * rider on shift at the order's store (RIDER_OFF_SHIFT, RIDER_OF_ANOTHER_STORE otherwise). Going
 * on shift offers the store's packed orders waiting for a rider, so `order.rider_offered` events
 * may appear on their timelines.
 */
export async function onShiftAt(
  http: HttpClient,
  rider: { accessToken: string },
  storeId: string,
): Promise<void> {
  const res = await http.put(
    '/v1/rider/shift',
    { state: 'AVAILABLE', storeId },
    { token: rider.accessToken },
  );
  if (res.status !== 200)
    throw new Error(`rider on shift failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Sends an order out by hand as the ops console does: the rider goes on shift at the order's
 * store first (a rider off shift, or of another store, is refused).
 */
export async function sendOut(
  http: HttpClient,
  admin: { accessToken: string },
  rider: { id: string; accessToken: string },
  orderId: string,
) {
  const order = await http.get(`/v1/orders/${orderId}`, { token: admin.accessToken });
  await onShiftAt(http, rider, order.body.storeId);
  return http.post(
    `/v1/admin/orders/${orderId}/transitions`,
    { to: 'OUT_FOR_DELIVERY', riderId: rider.id },
    { token: admin.accessToken },
  );
}
