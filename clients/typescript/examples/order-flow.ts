/**
 * The README's example, run by test/client.e2e-spec.ts against the real api: the lines between
 * the markers are the README's code block (a test checks they are the same).
 */
import { createFlashCartClient, unwrap, type OrderEventMessage } from '@flashcart/client';

export interface ExampleInput {
  baseUrl: string;
  email: string;
  password: string;
  here: { lat: number; lng: number };
  log: (event: OrderEventMessage) => void;
}

export async function orderFlow({ baseUrl, email, password, here, log }: ExampleInput) {
  // example:start
  const api = createFlashCartClient({ baseUrl }); // tokens in memory; pass tokenStore to persist
  await api.signup({ email, password, name: 'Asha' });

  // Browse: the stores that deliver here, then what the nearest one has in stock
  const stores = await unwrap(api.rest.GET('/v1/stores/serviceable', { params: { query: here } }));
  const query = { storeId: stores[0].id, inStock: true };
  const { items } = await unwrap(api.rest.GET('/v1/products', { params: { query } }));

  // A cart on the server, priced there: lines, fees, promotions, tax and the total to show
  await api.addToCart(items[0].id, 2);
  const address = { line1: '12, 4th Cross', city: 'Bengaluru', pincode: '560038', ...here };
  const cart = await api.setCartAddress(address); // cart.total, cart.checkout.ready / .problems

  // Check out at exactly that total (409 CART_CHANGED with the new cart if anything moved);
  // an Idempotency-Key is generated, and reused if the network fails mid-call
  const order = await api.checkout(cart);

  // Watch it live: the timeline so far, then each new event, across reconnections
  const tracking = api.tracking();
  tracking.on('order.event', (event) => log(event)); // event.type, event.status, event.data
  await tracking.connect();
  await tracking.subscribe(order.id, { afterSeq: 0 });
  // example:end
  return { api, order, tracking };
}
