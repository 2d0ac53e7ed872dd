import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { conflictOnUnique } from '#libs/database';
import { decodeCursor, DomainError, NotFoundError, toPage, type Page } from '#libs/platform';
import { ReadCache } from '#libs/redis';
import { CATALOG_CACHE } from './catalog-cache.js';
import { CategoriesService } from './categories.service.js';
import { Product } from './product.entity.js';

export interface ProductInput {
  sku: string;
  name: string;
  description?: string;
  categoryId: string;
  priceMinor: number;
  unitLabel: string;
  imageUrl?: string | null;
  maxPerOrder?: number;
  /** GST rate included in the price, basis points (default 500 = 5 %). */
  taxRateBp?: number;
  active?: boolean;
}

/** What we sell and at what price. Products are deactivated, never deleted (orders keep them). */
@Injectable()
export class ProductsService {
  constructor(
    @InjectRepository(Product) private readonly products: Repository<Product>,
    private readonly categories: CategoriesService,
    private readonly cache: ReadCache,
  ) {}

  async get(id: string): Promise<Product> {
    const product = await this.products.findOneBy({ id });
    if (!product) throw new NotFoundError('Product');
    return product;
  }

  /**
   * Every product, inactive ones too (the console's catalog), by SKU, keyset paginated; `q` is
   * part of the SKU or name, case-insensitive.
   */
  async adminList(filter: { q?: string; limit: number; cursor?: string }): Promise<Page<Product>> {
    const query = this.products
      .createQueryBuilder('p')
      .orderBy('p.sku', 'ASC')
      .limit(filter.limit + 1);
    const term = filter.q?.trim().normalize('NFKC').toLowerCase();
    if (term) {
      if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(term))
        throw new DomainError(
          'VALIDATION_FAILED',
          'q must not contain control or invisible characters',
        );
      query.andWhere(`(lower(p.sku) LIKE :q ESCAPE '\\' OR lower(p.name) LIKE :q ESCAPE '\\')`, {
        q: `%${term.replace(/[\\%_]/g, '\\$&')}%`,
      });
    }
    if (filter.cursor) {
      const [sku] = decodeCursor(filter.cursor, ['string']);
      query.andWhere('p.sku > :sku', { sku });
    }
    return toPage(await query.getMany(), filter.limit, (p) => [p.sku]);
  }

  /** The image of each of these products (null: none), for an order's pick list. */
  async imagesOf(ids: string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.products.find({
      select: { id: true, imageUrl: true },
      where: { id: In(ids) },
    });
    return new Map(rows.map((p) => [p.id, p.imageUrl]));
  }

  async create(input: ProductInput): Promise<Product> {
    await this.categories.get(input.categoryId);
    const product = await conflictOnUnique(
      () =>
        this.products.save(
          this.products.create({
            ...input,
            sku: input.sku.trim().toUpperCase(),
            description: input.description ?? '',
            imageUrl: input.imageUrl ?? null,
            maxPerOrder: input.maxPerOrder ?? 10,
            taxRateBp: input.taxRateBp ?? 500,
            active: input.active ?? true,
            currency: 'INR',
          }),
        ),
      'products_sku_key',
      'A product with this SKU already exists',
    );
    await this.cache.invalidate(CATALOG_CACHE);
    return product;
  }

  async update(id: string, change: Partial<ProductInput>): Promise<Product> {
    await this.get(id);
    if (change.categoryId) await this.categories.get(change.categoryId);
    const sku = change.sku?.trim().toUpperCase();
    await conflictOnUnique(
      () => this.products.update(id, { ...change, ...(sku ? { sku } : {}) }),
      'products_sku_key',
      'A product with this SKU already exists',
    );
    await this.cache.invalidate(CATALOG_CACHE);
    return this.get(id);
  }

  deactivate(id: string): Promise<Product> {
    return this.update(id, { active: false });
  }
}
