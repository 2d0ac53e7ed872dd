import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryPrepared } from '#libs/database';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { StoresService, type ServiceableStore } from '#libs/inventory';
import {
  feeRules,
  hasOrdered,
  MAX_ORDER_TOTAL_MINOR,
  promisedBy,
  StoreCapacity,
} from '#libs/orders';
import { priceBasket, type PricedBasket } from '#libs/pricing';
import { money } from '#libs/products';
import { Promotions } from '#libs/promotions';
import type { Cart, CartAddress } from './cart.entity.js';
import {
  lineProblem,
  lineViews,
  versionOf,
  type CartView,
  type CheckoutProblem,
  type LoadedLine,
} from './cart-view.js';

/** A cart priced now: the view a customer sees, and what checkout places. */
export interface PricedCart {
  /** The cart's row as read with its lines (null: the customer has none yet). */
  cart: Cart | null;
  view: CartView;
  store: ServiceableStore | null;
  lines: LoadedLine[];
  priced: PricedBasket;
}

/**
 * A row of `CartPricing.read`: the cart, one of its lines (every line column null when it has
 * none) and a store's stock of it.
 */
type CartRow = Omit<Cart, 'userId' | 'address'> & { address: CartAddress | null } & Omit<
    LoadedLine,
    'productId' | 'stock'
  > & { productId: string | null; stockStoreId: string | null; stock: number | null };

/**
 * Prices a cart as it stands now at the store serving its address: today's prices and stock,
 * the fees, the automatic promotions and the cart's code, through the one pricing function.
 */
@Injectable()
export class CartPricing {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly stores: StoresService,
    private readonly capacity: StoreCapacity,
    private readonly promotions: Promotions,
  ) {}

  /** The store that serves the cart's address now: the pinned one if it does, else the nearest. */
  async storeFor(cart: Cart | null): Promise<ServiceableStore | null> {
    if (!cart?.address) return null;
    const serving = await this.stores.serviceable({ lat: cart.address.lat, lng: cart.address.lng });
    return serving.find((s) => s.id === cart.storeId) ?? serving[0] ?? null;
  }

  /**
   * The customer's cart priced now, read in one round trip (`read`). `capacity: false` skips
   * asking whether the store is at capacity (checkout: the placement's insert decides that, and
   * answers STORE_BUSY).
   */
  async price(userId: string, options: { capacity?: boolean } = {}): Promise<PricedCart> {
    const { cart, store, lines } = await this.read(userId);
    const hasStore = store !== null;
    const sellable = lines.filter((l) => lineProblem(l, hasStore) !== 'NOT_SOLD');
    const found = await this.promotions.forPricing(
      store?.id ?? null,
      cart?.promoCode ?? null,
      userId,
    );
    const priced = priceBasket(
      sellable.map((l) => ({
        productId: l.productId,
        categoryId: l.categoryId,
        quantity: l.quantity,
        unitPriceMinor: l.priceMinor,
        taxRateBp: l.taxRateBp,
      })),
      feeRules(this.config.orders),
      found.promotions,
      {
        now: new Date(),
        storeId: store?.id ?? '',
        // Asked only when a promotion needs it (first order only): most reads need no query.
        hasOrdered: found.promotions.some((p) => p.firstOrderOnly)
          ? await hasOrdered(this.db, userId)
          : false,
        customerUses: found.customerUses,
        totalUses: found.totalUses,
      },
    );
    const problems = await this.problems(cart, store, lines, priced, options.capacity ?? true);
    const promoCodeProblem = found.unknownCode
      ? 'UNKNOWN'
      : (priced.refused.find((r) => r.code === cart?.promoCode)?.reason ?? null);
    const view: CartView = {
      version: versionOf([
        store?.id ?? null,
        priced.lines.map((l) => [l.productId, l.quantity, l.unitPriceMinor, l.discountMinor]),
        priced.fees,
        priced.discounts.map((d) => [d.promotionId, d.amountMinor]),
        priced.totalMinor,
        // A busy store is a moment, not a price: it does not change the version.
        problems.filter((p) => p.code !== 'STORE_BUSY'),
      ]),
      address: cart?.address ?? undefined,
      store: store ? { id: store.id, name: store.name, distanceM: store.distanceM } : undefined,
      lines: lineViews(lines, priced, hasStore),
      subtotal: money(priced.subtotalMinor),
      fees: {
        delivery: money(priced.fees.deliveryMinor),
        smallBasket: money(priced.fees.smallBasketMinor),
      },
      discounts: priced.discounts.map((d) => ({
        promotionId: d.promotionId,
        code: d.code,
        name: d.name,
        kind: d.kind,
        amount: money(d.amountMinor),
      })),
      discountTotal: money(priced.discountMinor),
      taxes: priced.taxes.map((t) => ({
        rateBp: t.rateBp,
        taxable: money(t.taxableMinor),
        tax: money(t.taxMinor),
      })),
      total: money(priced.totalMinor),
      promoCode: cart?.promoCode ?? null,
      promoCodeProblem,
      promisedBy: store
        ? promisedBy(new Date(), store.distanceM, {
            packingSeconds: this.config.dispatch.packingSeconds,
            riderSpeedKmh: this.config.dispatch.riderSpeedKmh,
            minimumMinutes: this.config.orders.promiseMinutes,
          }).toISOString()
        : null,
      checkout: { ready: problems.length === 0, problems },
      updatedAt: (cart?.updatedAt ?? new Date()).toISOString(),
    };
    return { cart, view, store, lines, priced };
  }

  /**
   * The cart's row and its lines with their products and stock, in one statement: the stock is
   * read at the pinned store, or at every store when none is pinned (stores are few), and kept
   * for the store that serves the address now (in memory). Only when a pinned store no longer
   * serves the address are the lines read once more, at the store that does.
   */
  private async read(
    userId: string,
  ): Promise<{ cart: Cart | null; store: ServiceableStore | null; lines: LoadedLine[] }> {
    // Prepared (parsed and planned once per connection): every cart read and checkout runs it.
    const rows = await queryPrepared<CartRow>(
      this.db.manager,
      'cart-read',
      `SELECT c.store_id AS "storeId", c.address, c.promo_code AS "promoCode",
              c.created_at AS "createdAt", c.updated_at AS "updatedAt",
              l.product_id AS "productId", l.quantity, l.added_unit_price_minor AS "addedUnitPriceMinor",
              p.name, p.unit_label AS "unitLabel", p.image_url AS "imageUrl",
              p.category_id AS "categoryId", p.price_minor AS "priceMinor",
              p.tax_rate_bp AS "taxRateBp", p.max_per_order AS "maxPerOrder", p.active,
              ss.store_id AS "stockStoreId", ss.quantity AS stock
         FROM carts c
         LEFT JOIN cart_lines l ON l.user_id = c.user_id
         LEFT JOIN products p ON p.id = l.product_id
         LEFT JOIN store_stock ss
           ON ss.product_id = l.product_id AND (c.store_id IS NULL OR ss.store_id = c.store_id)
        WHERE c.user_id = $1
        ORDER BY l.added_at, l.product_id`,
      [userId],
    );
    const [first] = rows;
    if (!first) return { cart: null, store: null, lines: [] };
    const cart: Cart = {
      userId,
      storeId: first.storeId,
      address: first.address,
      promoCode: first.promoCode,
      createdAt: first.createdAt,
      updatedAt: first.updatedAt,
    };
    const store = await this.storeFor(cart);
    if (store && cart.storeId !== null && store.id !== cart.storeId)
      return { cart, store, lines: await this.load(userId, store.id) };
    const lines = new Map<string, LoadedLine>();
    for (const row of rows) {
      const { storeId: _s, address: _a, promoCode: _p, createdAt: _c, updatedAt: _u, ...r } = row;
      const { productId, stockStoreId, stock, ...product } = r;
      if (productId === null) continue;
      let line = lines.get(productId);
      if (!line) lines.set(productId, (line = { ...product, productId, stock: null }));
      if (store && stockStoreId === store.id) line.stock = stock;
    }
    return { cart, store, lines: [...lines.values()] };
  }

  private async problems(
    cart: Cart | null,
    store: ServiceableStore | null,
    lines: LoadedLine[],
    priced: PricedBasket,
    capacity: boolean,
  ): Promise<CartView['checkout']['problems']> {
    const problems: CartView['checkout']['problems'] = [];
    const add = (code: CheckoutProblem, productIds?: string[]) =>
      problems.push(productIds ? { code, productIds } : { code });
    if (lines.length === 0) add('EMPTY');
    if (!cart?.address) add('ADDRESS_REQUIRED');
    else if (!store) add('NOT_SERVICEABLE');
    else if (capacity && (await this.capacity.busy([store.id])).has(store.id)) add('STORE_BUSY');
    const having = (...kinds: string[]) =>
      lines
        .filter((l) => kinds.includes(lineProblem(l, store !== null) ?? ''))
        .map((l) => l.productId);
    for (const [code, kinds] of [
      ['PRODUCT_UNAVAILABLE', ['NOT_SOLD']],
      ['INSUFFICIENT_STOCK', ['OUT_OF_STOCK', 'SHORT']],
      ['QUANTITY_LIMIT', ['OVER_LIMIT']],
    ] as const) {
      const ids = having(...kinds);
      if (ids.length > 0) add(code, ids);
    }
    if (lines.length > 0 && priced.belowMinimum) add('BELOW_MINIMUM');
    // What the placement refuses (422 ORDER_TOO_LARGE), said before the customer tries.
    if (
      Math.max(priced.totalMinor, priced.subtotalMinor + priced.feesMinor) > MAX_ORDER_TOTAL_MINOR
    )
      add('ORDER_TOO_LARGE');
    return problems;
  }

  /** The lines with their stock at one store. */
  private load(userId: string, storeId: string | null): Promise<LoadedLine[]> {
    return queryPrepared<LoadedLine>(
      this.db.manager,
      'cart-lines-at-store',
      `SELECT l.product_id AS "productId", l.quantity, l.added_unit_price_minor AS "addedUnitPriceMinor",
              p.name, p.unit_label AS "unitLabel", p.image_url AS "imageUrl",
              p.category_id AS "categoryId", p.price_minor AS "priceMinor",
              p.tax_rate_bp AS "taxRateBp", p.max_per_order AS "maxPerOrder", p.active,
              ss.quantity AS stock
         FROM cart_lines l
         JOIN products p ON p.id = l.product_id
         LEFT JOIN store_stock ss ON ss.product_id = l.product_id AND ss.store_id = $2
        WHERE l.user_id = $1
        ORDER BY l.added_at, l.product_id`,
      [userId, storeId],
    );
  }
}
