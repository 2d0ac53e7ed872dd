import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { decodeCursor, NotFoundError, toPage, type Page } from '#libs/platform';
import { CATALOG_CACHE, Product, toProductView, type ProductView } from '#libs/products';
import { ReadCache } from '#libs/redis';
import { StoresService } from './stores.service.js';

export interface BrowseFilter {
  q?: string;
  /** Category slug or id; includes its subcategories. */
  category?: string;
  storeId?: string;
  inStock?: boolean;
  limit: number;
  cursor?: string;
}

/** Stock shown to customers may be this old; it never decides an order. */
const STORE_TTL_MS = 5_000;
const CATALOG_TTL_MS = 60_000;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** What customers browse: active products, optionally with what a store has of each. */
@Injectable()
export class CatalogService {
  constructor(
    @InjectRepository(Product) private readonly products: Repository<Product>,
    private readonly stores: StoresService,
    private readonly cache: ReadCache,
  ) {}

  /**
   * A page of the catalog as JSON text, straight from the cache on a hit. An unknown or inactive
   * store is a 404 (remembered as briefly as the page would be).
   */
  async browseJson(filter: BrowseFilter): Promise<string> {
    const ttl = filter.storeId ? STORE_TTL_MS : CATALOG_TTL_MS;
    const text = await this.cache.getOrLoadJson(
      CATALOG_CACHE,
      `browse:${JSON.stringify(filter)}`,
      ttl,
      async () =>
        filter.storeId && !(await this.storeIsOpenForBusiness(filter.storeId))
          ? null
          : this.load(filter),
    );
    if (text === 'null') throw new NotFoundError('Store');
    return text;
  }

  /** One active product as JSON text (with `available` when a store is given). */
  async productJson(id: string, storeId?: string): Promise<string> {
    const text = await this.cache.getOrLoadJson(
      CATALOG_CACHE,
      `product:${id}:${storeId ?? ''}`,
      storeId ? STORE_TTL_MS : CATALOG_TTL_MS,
      async (): Promise<ProductView | 'no-store' | null> => {
        if (storeId && !(await this.storeIsOpenForBusiness(storeId))) return 'no-store';
        const query = this.products
          .createQueryBuilder('p')
          .where('p.id = :id AND p.active', { id });
        this.withStock(query, storeId);
        const { entities, raw } = await query.getRawAndEntities();
        const product = entities[0];
        return product
          ? toProductView(product, storeId ? Number(raw[0].available ?? 0) : undefined)
          : null;
      },
    );
    if (text === '"no-store"') throw new NotFoundError('Store');
    if (text === 'null') throw new NotFoundError('Product');
    return text;
  }

  private async load(filter: BrowseFilter): Promise<Page<ProductView>> {
    const query = this.products
      .createQueryBuilder('p')
      .where('p.active')
      .orderBy('p.name', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(filter.limit + 1);
    this.withStock(query, filter.storeId);
    if (filter.inStock && filter.storeId) query.andWhere('ss.quantity > 0');
    if (filter.q) {
      const q = escapeLike(filter.q.trim().toLowerCase());
      // Prefix of the name or of any word in it.
      query.andWhere(
        `(lower(p.name) LIKE :prefix ESCAPE '\\' OR lower(p.name) LIKE :word ESCAPE '\\')`,
        {
          prefix: `${q}%`,
          word: `% ${q}%`,
        },
      );
    }
    if (filter.category) {
      query.andWhere(
        `p.category_id IN (
           WITH RECURSIVE tree AS (
             SELECT id FROM categories WHERE slug = :category OR id::text = :category
             UNION ALL SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id)
           SELECT id FROM tree)`,
        { category: filter.category },
      );
    }
    if (filter.cursor) {
      const [name, id] = decodeCursor(filter.cursor, ['string', 'uuid']);
      query.andWhere('(p.name, p.id) > (:name, :id)', { name, id });
    }
    const { entities, raw } = await query.getRawAndEntities();
    const views = entities.map((p, i) =>
      toProductView(p, filter.storeId ? Number(raw[i].available ?? 0) : undefined),
    );
    return toPage(views, filter.limit, (v) => [v.name, v.id]);
  }

  private withStock(
    query: ReturnType<Repository<Product>['createQueryBuilder']>,
    storeId?: string,
  ): void {
    if (!storeId) return;
    query
      .leftJoin('store_stock', 'ss', 'ss.product_id = p.id AND ss.store_id = :storeId', { storeId })
      .addSelect('COALESCE(ss.quantity, 0)', 'available');
  }

  private async storeIsOpenForBusiness(storeId: string): Promise<boolean> {
    // Only "no such store" means no store: a database failure must not become a (cached) 404.
    const store = await this.stores.get(storeId).catch((e: unknown) => {
      if (e instanceof NotFoundError) return null;
      throw e;
    });
    return store?.active === true;
  }
}
