import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, NotFoundError } from '#libs/platform';
import { StoresService } from '#libs/inventory';
import { Promotions } from '#libs/promotions';
import './cart-errors.js';
import type { CartAddress } from './cart.entity.js';
import { CartPricing } from './cart-pricing.js';
import type { CartView } from './cart-view.js';

/** At most this many distinct products in a cart (as in one order). */
export const MAX_CART_LINES = 50;

/**
 * A customer's cart: one per customer, kept in PostgreSQL. Every change runs in a transaction
 * that first locks the cart's row (creating it if needed), so that concurrent changes from two
 * devices apply one after the other and limits hold; every answer is the cart priced now.
 */
@Injectable()
export class Carts {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly pricing: CartPricing,
    private readonly promotions: Promotions,
    private readonly stores: StoresService,
  ) {}

  async view(userId: string): Promise<CartView> {
    return (await this.pricing.price(userId)).view;
  }

  /** Adds `quantity` units (to what the line has). */
  add(userId: string, productId: string, quantity: number): Promise<CartView> {
    return this.change(userId, (m) => this.putLine(m, userId, productId, quantity, 'add'));
  }

  /** Sets a line's quantity; 0 removes it. */
  set(userId: string, productId: string, quantity: number): Promise<CartView> {
    return this.change(userId, async (m) => {
      if (quantity === 0) await this.removeLine(m, userId, productId);
      else await this.putLine(m, userId, productId, quantity, 'set');
    });
  }

  remove(userId: string, productId: string): Promise<CartView> {
    return this.change(userId, (m) => this.removeLine(m, userId, productId));
  }

  /** Where to deliver; `storeId` pins a store (used while it serves the address; 404 if none has that id). */
  async setAddress(
    userId: string,
    address: CartAddress,
    storeId: string | null,
  ): Promise<CartView> {
    if (storeId) await this.stores.get(storeId);
    return this.change(userId, (m) =>
      m.query(`UPDATE carts SET address = $2, store_id = $3 WHERE user_id = $1`, [
        userId,
        address,
        storeId,
      ]),
    );
  }

  /** Applies a promo code; an unknown one is refused (422), a known one that does not apply now is kept and the cart says why. */
  async setPromoCode(userId: string, code: string): Promise<CartView> {
    const normalised = await this.promotions.knownCode(code);
    return this.change(userId, (m) =>
      m.query(`UPDATE carts SET promo_code = $2 WHERE user_id = $1`, [userId, normalised]),
    );
  }

  removePromoCode(userId: string): Promise<CartView> {
    return this.change(userId, (m) =>
      m.query(`UPDATE carts SET promo_code = NULL WHERE user_id = $1`, [userId]),
    );
  }

  /** Empties the cart (address and code stay). */
  clear(userId: string): Promise<CartView> {
    return this.change(userId, (m) =>
      m.query(`DELETE FROM cart_lines WHERE user_id = $1`, [userId]),
    );
  }

  /** Deletes carts untouched since `before` (the worker's expiry); returns how many. */
  async expire(before: Date): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM carts WHERE updated_at < $1`, [before]);
    return count;
  }

  private async change(userId: string, work: (m: EntityManager) => Promise<unknown>) {
    await this.db.transaction(async (m) => {
      // Creates the cart or locks its row: changes to one cart apply one after the other.
      await m.query(
        `INSERT INTO carts (user_id) VALUES ($1)
         ON CONFLICT (user_id) DO UPDATE SET updated_at = now()`,
        [userId],
      );
      await work(m);
    });
    return this.view(userId);
  }

  private async putLine(
    m: EntityManager,
    userId: string,
    productId: string,
    quantity: number,
    mode: 'add' | 'set',
  ): Promise<void> {
    const [product]: { priceMinor: number; maxPerOrder: number; active: boolean }[] = await m.query(
      `SELECT price_minor AS "priceMinor", max_per_order AS "maxPerOrder", active
           FROM products WHERE id = $1`,
      [productId],
    );
    if (!product) throw new NotFoundError('Product');
    if (!product.active)
      throw new DomainError('PRODUCT_UNAVAILABLE', 'This product is no longer sold', {
        productIds: [productId],
      });
    const [line]: { quantity: number }[] = await m.query(
      `INSERT INTO cart_lines (user_id, product_id, quantity, added_unit_price_minor)
       SELECT $1, $2, $3, $4
        WHERE (SELECT count(*) FROM cart_lines WHERE user_id = $1 AND product_id <> $2) < $6
       ON CONFLICT (user_id, product_id) DO UPDATE
          SET quantity = CASE WHEN $5 THEN cart_lines.quantity + excluded.quantity ELSE excluded.quantity END
       RETURNING quantity`,
      [userId, productId, quantity, product.priceMinor, mode === 'add', MAX_CART_LINES],
    );
    if (!line)
      throw new DomainError(
        'VALIDATION_FAILED',
        `A cart holds at most ${MAX_CART_LINES} different products`,
      );
    if (line.quantity > product.maxPerOrder)
      throw new DomainError(
        'VALIDATION_FAILED',
        `quantity must not exceed ${product.maxPerOrder} for this product`,
      );
  }

  private async removeLine(m: EntityManager, userId: string, productId: string): Promise<void> {
    await m.query(`DELETE FROM cart_lines WHERE user_id = $1 AND product_id = $2`, [
      userId,
      productId,
    ]);
  }
}
