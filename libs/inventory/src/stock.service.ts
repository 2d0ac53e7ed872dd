import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, DomainError, NotFoundError, toPage, type Page } from '#libs/platform';
import { CATALOG_CACHE } from '#libs/products';
import { ReadCache } from '#libs/redis';
import { StockMovement, type StockReason } from './stock-movement.entity.js';
import {
  countMovement,
  inLockOrder,
  insufficientStock,
  shortPickMovements,
  type Movement,
} from './stock-rules.js';

export interface StockLevel {
  storeId: string;
  productId: string;
  quantity: number;
}

export interface StockLine {
  productId: string;
  quantity: number;
}

export interface StockRow extends StockLevel {
  sku: string;
  name: string;
  updatedAt: string;
}

/**
 * Per-store stock. Every change is one conditional UPDATE plus its ledger row in the same
 * transaction; the schema's CHECK (quantity >= 0) backs the "never negative" rule.
 */
@Injectable()
export class StockService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: ReadCache,
  ) {}

  /** Sets the quantity (a stock count); the ledger records the difference. */
  async set(
    storeId: string,
    productId: string,
    quantity: number,
    reason: StockReason,
    actorId: string,
    note?: string,
  ): Promise<StockLevel> {
    await this.assertExists(storeId, productId);
    const level = await this.dataSource.transaction(async (m) => {
      await this.ensureRow(m, storeId, productId);
      const [{ quantity: current }] = await m.query(
        `SELECT quantity FROM store_stock WHERE store_id = $1 AND product_id = $2 FOR UPDATE`,
        [storeId, productId],
      );
      const movement = countMovement(
        { storeId, productId, reason, actorId, note },
        current,
        quantity,
      );
      if (movement) {
        await m.query(
          `UPDATE store_stock SET quantity = $3, updated_at = now() WHERE store_id = $1 AND product_id = $2`,
          [storeId, productId, quantity],
        );
        await this.record(m, [movement]);
      }
      return { storeId, productId, quantity };
    });
    await this.cache.invalidate(CATALOG_CACHE);
    return level;
  }

  /** Changes the quantity by `delta`; never below zero (409 naming what is available). */
  async adjust(
    storeId: string,
    productId: string,
    delta: number,
    reason: StockReason,
    actorId: string,
    note?: string,
  ): Promise<StockLevel> {
    await this.assertExists(storeId, productId);
    const level = await this.dataSource.transaction(async (m) => {
      await this.ensureRow(m, storeId, productId);
      const quantityAfter = await this.apply(m, storeId, productId, delta);
      if (quantityAfter === null) {
        throw DomainError.of(insufficientStock(await this.available(m, storeId, productId), delta));
      }
      await this.record(m, [{ storeId, productId, delta, quantityAfter, reason, actorId, note }]);
      return { storeId, productId, quantity: quantityAfter };
    });
    await this.cache.invalidate(CATALOG_CACHE);
    return level;
  }

  /**
   * Returns an order's stock inside the caller's transaction (cancel), one row at a time in
   * product-id order, the order placement locks them in (PostgreSQL's uuid order), so the two
   * cannot deadlock.
   */
  async release(
    m: EntityManager,
    storeId: string,
    lines: StockLine[],
    orderId: string,
    actorId: string | null,
  ): Promise<void> {
    const movements: Movement[] = [];
    for (const line of inLockOrder(lines)) {
      await this.ensureRow(m, storeId, line.productId);
      const after = await this.apply(m, storeId, line.productId, line.quantity);
      movements.push({
        storeId,
        productId: line.productId,
        delta: line.quantity,
        quantityAfter: after!,
        reason: 'order_released',
        orderId,
        actorId,
      });
    }
    await this.record(m, movements);
  }

  /**
   * A short pick, inside the caller's transaction (the order's): the picker found `found` of the
   * `ordered` units reserved for the order, so the shelf is empty and the count was wrong. The
   * missing units go back from the order (`order_released`) and, with whatever the count still
   * claimed, out as shrinkage (`short_pick`): the product's quantity at the store becomes 0 and
   * the ledger says why. Returns the shrinkage recorded (units).
   */
  async recordShortPick(
    m: EntityManager,
    p: {
      storeId: string;
      productId: string;
      missing: number;
      orderId: string;
      actorId: string | null;
    },
  ): Promise<number> {
    await this.ensureRow(m, p.storeId, p.productId);
    const [{ quantity }] = await m.query(
      `SELECT quantity FROM store_stock WHERE store_id = $1 AND product_id = $2 FOR UPDATE`,
      [p.storeId, p.productId],
    );
    const { shrinkage, movements } = shortPickMovements(
      { storeId: p.storeId, productId: p.productId, orderId: p.orderId, actorId: p.actorId },
      quantity,
      p.missing,
    );
    if (shrinkage > 0) await this.apply(m, p.storeId, p.productId, -quantity);
    await this.record(m, movements);
    return shrinkage;
  }

  async list(
    storeId: string,
    filter: { lowStock?: number; limit: number; cursor?: string },
  ): Promise<Page<StockRow>> {
    await this.assertExists(storeId);
    const params: unknown[] = [storeId, filter.limit + 1];
    let where = '';
    if (filter.lowStock !== undefined) {
      params.push(filter.lowStock);
      where += ` AND ss.quantity <= $${params.length}`;
    }
    if (filter.cursor) {
      params.push(decodeCursor(filter.cursor, ['string'])[0]);
      where += ` AND p.sku > $${params.length}`;
    }
    const rows: {
      store_id: string;
      product_id: string;
      quantity: number;
      sku: string;
      name: string;
      updated_at: Date;
    }[] = await this.dataSource.query(
      `SELECT ss.store_id, ss.product_id, ss.quantity, p.sku, p.name, ss.updated_at
           FROM store_stock ss JOIN products p ON p.id = ss.product_id
          WHERE ss.store_id = $1${where}
          ORDER BY p.sku LIMIT $2`,
      params,
    );
    return toPage(
      rows.map((r) => ({
        storeId: r.store_id,
        productId: r.product_id,
        quantity: r.quantity,
        sku: r.sku,
        name: r.name,
        updatedAt: r.updated_at.toISOString(),
      })),
      filter.limit,
      (r) => [r.sku],
    );
  }

  /** The ledger of one product at one store, newest first. */
  async movements(
    storeId: string,
    productId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StockMovement>> {
    await this.assertExists(storeId, productId);
    const query = this.dataSource
      .getRepository(StockMovement)
      .createQueryBuilder('sm')
      .where('sm.store_id = :storeId AND sm.product_id = :productId', { storeId, productId })
      .orderBy('sm.id', 'DESC')
      .limit(page.limit + 1);
    if (page.cursor) query.andWhere('sm.id < :id', { id: decodeCursor(page.cursor, ['int'])[0] });
    return toPage(await query.getMany(), page.limit, (r) => [r.id]);
  }

  /** quantity += delta unless that would go below zero; the new quantity, or null if refused. */
  private async apply(
    m: EntityManager,
    storeId: string,
    productId: string,
    delta: number,
  ): Promise<number | null> {
    const [rows] = await m.query(
      `UPDATE store_stock SET quantity = quantity + $3, updated_at = now()
        WHERE store_id = $1 AND product_id = $2 AND quantity + $3 >= 0
        RETURNING quantity`,
      [storeId, productId, delta],
    );
    return rows[0]?.quantity ?? null;
  }

  private async available(m: EntityManager, storeId: string, productId: string): Promise<number> {
    const rows: { quantity: number }[] = await m.query(
      `SELECT quantity FROM store_stock WHERE store_id = $1 AND product_id = $2`,
      [storeId, productId],
    );
    return rows[0]?.quantity ?? 0;
  }

  private async ensureRow(m: EntityManager, storeId: string, productId: string): Promise<void> {
    await m.query(
      `INSERT INTO store_stock (store_id, product_id, quantity) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING`,
      [storeId, productId],
    );
  }

  private async record(m: EntityManager, movements: Movement[]): Promise<void> {
    if (movements.length === 0) return;
    await m.insert(
      StockMovement,
      movements.map((mv) => ({
        ...mv,
        orderId: mv.orderId ?? null,
        actorId: mv.actorId ?? null,
        note: mv.note ?? null,
      })),
    );
  }

  private async assertExists(storeId: string, productId?: string): Promise<void> {
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM stores WHERE id = $1) AS store,
              EXISTS (SELECT 1 FROM products WHERE id = $2) AS product`,
      [storeId, productId ?? storeId],
    );
    if (!row.store) throw new NotFoundError('Store');
    if (productId && !row.product) throw new NotFoundError('Product');
  }
}
