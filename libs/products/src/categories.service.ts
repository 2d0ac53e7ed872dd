import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { conflictOnUnique } from '#libs/database';
import { DomainError, NotFoundError } from '#libs/platform';
import { ReadCache } from '#libs/redis';
import { CATALOG_CACHE } from './catalog-cache.js';
import { Category } from './category.entity.js';

export interface CategoryNode {
  id: string;
  name: string;
  slug: string;
  sortOrder: number;
  children: CategoryNode[];
}

export interface CategoryInput {
  name: string;
  slug: string;
  parentId?: string | null;
  sortOrder?: number;
}

/** Builds the tree from a flat list (children sorted by sortOrder, then name). */
export function toTree(categories: Category[]): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>();
  for (const c of categories) {
    nodes.set(c.id, { id: c.id, name: c.name, slug: c.slug, sortOrder: c.sortOrder, children: [] });
  }
  const roots: CategoryNode[] = [];
  for (const c of categories) {
    const node = nodes.get(c.id)!;
    const parent = c.parentId ? nodes.get(c.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: CategoryNode[]) => {
    list.sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));
    list.forEach((n) => sort(n.children));
    return list;
  };
  return sort(roots);
}

@Injectable()
export class CategoriesService {
  constructor(
    @InjectRepository(Category) private readonly categories: Repository<Category>,
    private readonly cache: ReadCache,
  ) {}

  tree(): Promise<CategoryNode[]> {
    return this.cache.getOrLoad(CATALOG_CACHE, 'categories', 60_000, async () =>
      toTree(await this.categories.find()),
    );
  }

  async get(id: string): Promise<Category> {
    const category = await this.categories.findOneBy({ id });
    if (!category) throw new NotFoundError('Category');
    return category;
  }

  async create(input: CategoryInput): Promise<Category> {
    if (input.parentId) await this.get(input.parentId);
    const saved = await conflictOnUnique(
      () =>
        this.categories.save(
          this.categories.create({
            ...input,
            parentId: input.parentId ?? null,
            sortOrder: input.sortOrder ?? 0,
          }),
        ),
      'categories_slug_key',
      'A category with this slug already exists',
    );
    await this.cache.invalidate(CATALOG_CACHE);
    return saved;
  }

  async update(id: string, change: Partial<CategoryInput>): Promise<Category> {
    await this.get(id);
    if (change.parentId) await this.assertNoCycle(id, change.parentId);
    await conflictOnUnique(
      () => this.categories.update(id, change),
      'categories_slug_key',
      'A category with this slug already exists',
    );
    await this.cache.invalidate(CATALOG_CACHE);
    return this.get(id);
  }

  /** Only an empty category (no products, no children) can be deleted. */
  async remove(id: string): Promise<void> {
    await this.get(id);
    const [{ used }] = await this.categories.query(
      `SELECT EXISTS (SELECT 1 FROM products WHERE category_id = $1)
           OR EXISTS (SELECT 1 FROM categories WHERE parent_id = $1) AS used`,
      [id],
    );
    if (used) throw new DomainError('CONFLICT', 'Category still has products or subcategories');
    await this.categories.delete(id);
    await this.cache.invalidate(CATALOG_CACHE);
  }

  private async assertNoCycle(id: string, parentId: string): Promise<void> {
    await this.get(parentId);
    const rows: { id: string }[] = await this.categories.query(
      `WITH RECURSIVE up AS (
         SELECT id, parent_id FROM categories WHERE id = $1
         UNION ALL SELECT c.id, c.parent_id FROM categories c JOIN up ON c.id = up.parent_id)
       SELECT id FROM up WHERE id = $2`,
      [parentId, id],
    );
    if (rows.length > 0) throw new DomainError('CONFLICT', 'A category cannot be its own ancestor');
  }
}
