import createClient, { type Client } from 'openapi-fetch';
import { ApiError, NetworkError } from './errors.js';
import type { components, paths } from './generated/openapi.js';
import { Session } from './session.js';
import { MemoryTokenStore, type TokenStore } from './token-store.js';
import { TrackingClient, type TrackingOptions } from './tracking.js';
import { uuidV4 } from './uuid.js';

type Schemas = components['schemas'];
export type Order = Schemas['OrderDto'];
export type PlaceOrderBody = Schemas['PlaceOrderDto'];
export type Cart = Schemas['CartDto'];
export type Address = Schemas['AddressDto'];
export type User = Schemas['UserDto'];
export type Payment = Schemas['PaymentDto'];
export type PaymentMethod = NonNullable<PlaceOrderBody['paymentMethod']>;

export interface FollowPaymentOptions {
  /** How often to ask, ms (default 1500). */
  intervalMs?: number;
  /** Give up after this long, ms (default 15 minutes: the server's payment timeout is shorter). */
  timeoutMs?: number;
  /** Stop asking (the screen closed). */
  signal?: AbortSignal;
}

export interface FlashCartClientOptions {
  /** e.g. `https://api.flashcart.example` (no trailing slash, no `/v1`). */
  baseUrl: string;
  /** Where tokens live; memory by default. */
  tokenStore?: TokenStore;
  /** A fetch implementation (tests, React Native polyfills); the global one by default. */
  fetch?: (request: Request) => Promise<Response>;
  /** Called once when the session ends (refresh refused or reuse detected): show sign-in. */
  onSessionExpired?: (error: import('./errors.js').SessionExpiredError) => void;
}

export interface PlaceOrderOptions {
  /** Reuse your own key (e.g. saved before a page reload); a new UUID per call otherwise. */
  idempotencyKey?: string;
  /** Retries with the same key after a network error or a 503/IDEMPOTENCY_KEY_IN_USE; default 2. */
  retries?: number;
}

type Result = { data?: unknown; error?: unknown; response: Response };

/**
 * The data of an openapi-fetch call, or an `ApiError` for an error status:
 * `const page = await unwrap(api.rest.GET('/v1/products', { params: { query } }))`.
 */
export async function unwrap<T extends Result>(call: Promise<T>): Promise<NonNullable<T['data']>> {
  const result = await call;
  if (result.error !== undefined || !result.response.ok)
    throw ApiError.from(result.response, result.error);
  return result.data as NonNullable<T['data']>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class FlashCartClient {
  /** Every route of openapi.json, typed: `api.rest.GET('/v1/orders/{id}', { params: { path: { id } } })`. */
  readonly rest: Client<paths>;
  readonly session: Session;
  readonly baseUrl: string;

  constructor(options: FlashCartClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    this.session = new Session(
      options.tokenStore ?? new MemoryTokenStore(),
      this.baseUrl,
      baseFetch,
    );
    if (options.onSessionExpired) this.session.onExpired(options.onSessionExpired);
    this.rest = createClient<paths>({ baseUrl: this.baseUrl, fetch: this.session.fetch });
  }

  readonly unwrap = unwrap;

  /** Creates a customer account and signs in. */
  async signup(body: Schemas['SignupDto']): Promise<User> {
    return this.signedIn(await unwrap(this.rest.POST('/v1/auth/signup', { body })));
  }

  async login(email: string, password: string): Promise<User> {
    return this.signedIn(
      await unwrap(this.rest.POST('/v1/auth/login', { body: { email, password } })),
    );
  }

  /** Ends this session on the server (best effort) and forgets the tokens. */
  async logout(): Promise<void> {
    const tokens = await this.session.store.get();
    try {
      if (tokens)
        await unwrap(
          this.rest.POST('/v1/auth/logout', { body: { refreshToken: tokens.refreshToken } }),
        );
    } finally {
      await this.session.store.clear();
    }
  }

  /** Whether tokens are held (they may still be refused: calls then raise SessionExpiredError). */
  async isSignedIn(): Promise<boolean> {
    return (await this.session.store.get()) !== null;
  }

  /**
   * Places an order with an Idempotency-Key (new per call unless given). A network failure or a
   * 503 is retried with the same key, so the order is placed at most once: a replay answers the
   * original order.
   */
  async placeOrder(body: PlaceOrderBody, options: PlaceOrderOptions = {}): Promise<Order> {
    return this.once(options, (key) =>
      this.rest.POST('/v1/orders', { body, params: { header: { 'Idempotency-Key': key } } }),
    );
  }

  /** The customer's cart, priced now (lines, fees, discounts, tax, total, `checkout.ready`). */
  async cart(): Promise<Cart> {
    return unwrap(this.rest.GET('/v1/cart'));
  }

  /** Adds units of a product to the cart; answers the cart priced now. */
  async addToCart(productId: string, quantity = 1): Promise<Cart> {
    return unwrap(this.rest.POST('/v1/cart/lines', { body: { productId, quantity } }));
  }

  /** Where to deliver: the cart is priced at the store serving the address. */
  async setCartAddress(address: Address, storeId?: string): Promise<Cart> {
    return unwrap(this.rest.PUT('/v1/cart/address', { body: { address, storeId } }));
  }

  /** Applies a promo code (ApiError PROMOTION_UNKNOWN for an unknown one). */
  async applyPromoCode(code: string): Promise<Cart> {
    return unwrap(this.rest.PUT('/v1/cart/promo-code', { body: { code } }));
  }

  /**
   * Turns the cart the customer saw into an order at exactly its total, once (an
   * Idempotency-Key, retried like placeOrder). When anything moved, an `ApiError` with code
   * `CART_CHANGED` carries the cart as it is now in `error.body.cart`: show it and ask again.
   */
  async checkout(
    cart: Pick<Cart, 'version'>,
    options: PlaceOrderOptions & { paymentMethod?: PaymentMethod } = {},
  ): Promise<Order> {
    return this.once(options, (key) =>
      this.rest.POST('/v1/cart/checkout', {
        body: {
          version: cart.version,
          ...(options.paymentMethod ? { paymentMethod: options.paymentMethod } : {}),
        },
        params: { header: { 'Idempotency-Key': key } },
      }),
    );
  }

  /**
   * Starts (or resumes) paying an online order: what the provider's checkout needs
   * (`clientSecret` for Stripe.js `confirmPayment`). Safe to call again (a reload, a retry after
   * a 503 PAYMENT_PROVIDER_UNAVAILABLE): it answers the same payment.
   */
  async payForOrder(orderId: string): Promise<Payment> {
    return unwrap(this.rest.POST('/v1/orders/{id}/payment', { params: { path: { id: orderId } } }));
  }

  /** How an order is paid: status, captured, refunds (pending and confirmed), cash collected. */
  async payment(orderId: string): Promise<Payment> {
    return unwrap(this.rest.GET('/v1/orders/{id}/payment', { params: { path: { id: orderId } } }));
  }

  /**
   * Follows an online order's payment after the provider's checkout until the server has it:
   * resolves with the payment once `captured`, or the order itself once no longer
   * AWAITING_PAYMENT (cancelled by the payment timeout). Live updates also come over tracking
   * (`payment.captured` events); this is the simple loop for screens without a socket.
   */
  async followPayment(
    orderId: string,
    options: FollowPaymentOptions = {},
  ): Promise<{ payment: Payment; order: Order }> {
    const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
    for (;;) {
      const payment = await this.payment(orderId);
      if (payment.status === 'captured' || Date.now() > deadline || options.signal?.aborted) {
        const order = await unwrap(
          this.rest.GET('/v1/orders/{id}', { params: { path: { id: orderId } } }),
        );
        return { payment, order };
      }
      const order = await unwrap(
        this.rest.GET('/v1/orders/{id}', { params: { path: { id: orderId } } }),
      );
      if (order.status !== 'AWAITING_PAYMENT') return { payment, order };
      await sleep(options.intervalMs ?? 1_500);
    }
  }

  /** One call made once: the same Idempotency-Key through a network error, a 503 or a key in use. */
  private async once<T extends Result>(
    options: PlaceOrderOptions,
    call: (key: string) => Promise<T>,
  ): Promise<NonNullable<T['data']>> {
    const key = options.idempotencyKey ?? uuidV4();
    const retries = options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        return await unwrap(call(key));
      } catch (error) {
        const transient =
          error instanceof NetworkError ||
          (error instanceof ApiError &&
            (error.status === 503 || error.code === 'IDEMPOTENCY_KEY_IN_USE'));
        if (!transient || attempt >= retries) throw error;
        await sleep(250 * 2 ** attempt);
      }
    }
  }

  /** A live-tracking connection that shares this client's session (call `connect()`). */
  tracking(options: TrackingOptions = {}): TrackingClient {
    return new TrackingClient(this.session, `${this.baseUrl}/tracking`, options);
  }

  private async signedIn(pair: Schemas['TokenPairDto']): Promise<User> {
    await this.session.store.set({
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
    });
    return pair.user;
  }
}

export function createFlashCartClient(options: FlashCartClientOptions): FlashCartClient {
  return new FlashCartClient(options);
}
