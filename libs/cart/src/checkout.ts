import { Injectable } from '@nestjs/common';
import { rel, sql } from '#libs/database';
import {
  definePlacementWrite,
  OrderPlacement,
  type OrderView,
  type PaymentMethod,
} from '#libs/orders';
import { DomainError } from '#libs/platform';
import './cart-errors.js';
import { CartPricing } from './cart-pricing.js';
import type { CartView } from './cart-view.js';

/**
 * Placement's write, plus: the cart's lines and code are gone with the order's commit (and only
 * then: a refused or rolled-back checkout leaves the cart as it was).
 */
const WRITE_CHECKOUT = definePlacementWrite('write-checkout', (w, p) =>
  w
    .cte(
      'cart_emptied',
      sql`DELETE FROM cart_lines WHERE user_id = ${p.userId}::uuid AND EXISTS (SELECT FROM ${rel('placed')})`,
    )
    .cte(
      'cart_code_cleared',
      sql`UPDATE carts SET promo_code = NULL, updated_at = now()
           WHERE user_id = ${p.userId}::uuid AND EXISTS (SELECT FROM ${rel('placed')})`,
    ),
);

export interface CheckoutRequest {
  /** The cart's `version` the customer saw. */
  version: string;
  note?: string;
  paymentMethod?: PaymentMethod;
}

/**
 * Checkout: the cart becomes an order through the same placement as `POST /v1/orders` (never
 * oversells, once per Idempotency-Key, the open-order cap, store capacity), at exactly the total
 * the customer saw, or 409 CART_CHANGED with the cart as it is now. The Idempotency-Key's request
 * is the checkout itself (version and note), so a retry after the cart was emptied by the first
 * answers the first order.
 */
@Injectable()
export class Checkout {
  constructor(
    private readonly pricing: CartPricing,
    private readonly placement: OrderPlacement,
  ) {}

  async checkout(
    userId: string,
    idempotencyKey: string,
    request: CheckoutRequest,
  ): Promise<{ status: number; body: OrderView }> {
    const fingerprint = {
      checkout: request.version,
      note: request.note ?? null,
      // Only when not the default, so that keys stored before payments existed still replay.
      ...(request.paymentMethod && request.paymentMethod !== 'cod'
        ? { paymentMethod: request.paymentMethod }
        : {}),
    };
    // The cart and its lines in one round trip, before the placement's own locked read.
    const now = await this.pricing.price(userId, { capacity: false });
    if (now.view.version !== request.version || !now.view.checkout.ready) {
      // A retry after this key's order emptied the cart: that order is the answer.
      const earlier = await this.placement.replay(userId, idempotencyKey, fingerprint);
      if (earlier) return earlier;
      if (now.view.version !== request.version) throw changed(now.view);
      throw new DomainError('CART_NOT_READY', 'The cart cannot be checked out as it is', {
        cart: now.view,
      });
    }
    const changedNow = async () => changed((await this.pricing.price(userId)).view);
    try {
      return await this.placement.place(
        userId,
        idempotencyKey,
        {
          items: now.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
          address: now.cart!.address!,
          storeId: now.store!.id,
          note: request.note,
          paymentMethod: request.paymentMethod,
          promoCode:
            now.view.promoCode && !now.view.promoCodeProblem ? now.view.promoCode : undefined,
        },
        {
          fingerprint,
          expectTotal: { totalMinor: now.priced.totalMinor, changed: changedNow },
          write: WRITE_CHECKOUT,
        },
      );
    } catch (err) {
      // Moved between the pricing above and the placement's locks: the cart as it is now.
      if (
        err instanceof DomainError &&
        [
          'INSUFFICIENT_STOCK',
          'PRODUCT_UNAVAILABLE',
          'PROMOTION_NOT_APPLICABLE',
          'NOT_SERVICEABLE',
        ].includes(err.code)
      )
        throw await changedNow();
      throw err;
    }
  }
}

function changed(cart: CartView): DomainError {
  return new DomainError(
    'CART_CHANGED',
    'The cart changed since it was shown (prices, stock, promotions or fees): here it is as it is now',
    { cart },
  );
}
