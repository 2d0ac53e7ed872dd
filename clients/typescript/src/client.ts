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
export type NotificationPreference = Schemas['NotificationPreferenceDto'];
export type NotificationPreferenceChange = Schemas['PreferenceChangeDto'];
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
export type SavedAddress = Schemas['SavedAddressDto'];
export type NewAddress = Schemas['CreateAddressDto'];
export type AddressChange = Schemas['UpdateAddressDto'];
export type Rating = Schemas['RatingDto'];
export type NewRating = Schemas['RateOrderDto'];
export type PersonalDataExport = Schemas['PersonalDataExportDto'];

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

  /** Emails a reset link if the address has an account (the answer never says whether it does). */
  async requestPasswordReset(email: string): Promise<void> {
    await unwrap(this.rest.POST('/v1/auth/password-reset', { body: { email } }));
  }

  /**
   * Sets a new password with the `token` of a reset link (ApiError INVALID_ACCOUNT_TOKEN when it
   * is unknown, used, expired or replaced). Every session of the account ends, this one included.
   */
  async resetPassword(token: string, password: string): Promise<void> {
    await unwrap(this.rest.POST('/v1/auth/password-reset/confirm', { body: { token, password } }));
    await this.session.store.clear();
  }

  /** Confirms the email address with the `token` of a verification link. */
  async verifyEmail(token: string): Promise<void> {
    await unwrap(this.rest.POST('/v1/auth/verify-email', { body: { token } }));
  }

  /** Emails a new verification link (replacing the previous one) if the address has an account. */
  async resendVerificationEmail(email: string): Promise<void> {
    await unwrap(this.rest.POST('/v1/auth/verify-email/resend', { body: { email } }));
  }

  /** Which kinds of notification reach the signed-in user, in the app and by email. */
  async notificationPreferences(): Promise<NotificationPreference[]> {
    return (await unwrap(this.rest.GET('/v1/account/notification-preferences'))).preferences;
  }

  /** Switches kinds on or off per channel (only those given change); answers every kind. */
  async updateNotificationPreferences(
    changes: NotificationPreferenceChange[],
  ): Promise<NotificationPreference[]> {
    return (
      await unwrap(
        this.rest.PUT('/v1/account/notification-preferences', { body: { preferences: changes } }),
      )
    ).preferences;
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

  /** Delivers to one of the saved addresses: the cart keeps a copy of it as it is now. */
  async setCartSavedAddress(addressId: string, storeId?: string): Promise<Cart> {
    return unwrap(this.rest.PUT('/v1/cart/address', { body: { addressId, storeId } }));
  }

  /** The saved addresses (default first), each with the store serving it now (`servedBy`). */
  async addresses(): Promise<SavedAddress[]> {
    return unwrap(this.rest.GET('/v1/account/addresses'));
  }

  /** Saves an address (ApiError ADDRESS_BOOK_FULL past the limit, `max` in its body). */
  async saveAddress(address: NewAddress): Promise<SavedAddress> {
    return unwrap(this.rest.POST('/v1/account/addresses', { body: address }));
  }

  /** Edits a saved address (`isDefault: true` makes it the default); placed orders keep theirs. */
  async updateAddress(id: string, change: AddressChange): Promise<SavedAddress> {
    return unwrap(
      this.rest.PATCH('/v1/account/addresses/{id}', { params: { path: { id } }, body: change }),
    );
  }

  async deleteAddress(id: string): Promise<void> {
    await unwrap(this.rest.DELETE('/v1/account/addresses/{id}', { params: { path: { id } } }));
  }

  /**
   * Rates a delivered order (and optionally its rider), once: ApiError ALREADY_RATED after,
   * ORDER_NOT_DELIVERED (with `currentStatus`) before delivery.
   */
  async rateOrder(orderId: string, rating: NewRating): Promise<Rating> {
    return unwrap(
      this.rest.POST('/v1/orders/{id}/rating', { params: { path: { id: orderId } }, body: rating }),
    );
  }

  /** Everything FlashCart holds about the signed-in customer (profile, addresses, orders, ...). */
  async exportMyData(): Promise<PersonalDataExport> {
    return unwrap(this.rest.GET('/v1/account/export'));
  }

  /**
   * Deletes the account for good (the password confirms it; ApiError PASSWORD_INCORRECT if
   * wrong): personal data erased, every session ended. The tokens are forgotten here too.
   */
  async deleteAccount(password: string): Promise<void> {
    await unwrap(this.rest.DELETE('/v1/account', { body: { password } }));
    await this.session.store.clear();
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
