import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { StoresService, type Store } from '#libs/inventory';
import type { Page } from '#libs/platform';
import {
  CategoriesService,
  ProductsService,
  toProductView,
  type Category,
  type ProductView,
} from '#libs/products';
import { Roles } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import {
  AdminProductListQuery,
  CategoryDto,
  CreateCategoryDto,
  CreateProductDto,
  CreateStoreDto,
  StoreDto,
  UpdateCategoryDto,
  UpdateProductDto,
  UpdateStoreDto,
} from './dto/admin-catalog.dto.js';
import { ProductDto, ProductPageDto } from './dto/catalog.dto.js';

const uuid = new ParseUUIDPipe();

/** Admin CRUD for categories, products and stores. Every write invalidates the public cache. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors('FORBIDDEN')
@Controller('admin')
export class AdminCatalogController {
  constructor(
    private readonly categories: CategoriesService,
    private readonly products: ProductsService,
    private readonly stores: StoresService,
  ) {}

  @ApiOperation({ operationId: 'createCategory', summary: 'Create a category (admins)' })
  @Post('categories')
  @ApiCreatedResponse({ type: CategoryDto })
  @ApiErrors('NOT_FOUND', 'CONFLICT')
  createCategory(@Body() body: CreateCategoryDto): Promise<Category> {
    return this.categories.create(body);
  }

  @ApiOperation({ operationId: 'updateCategory', summary: 'Rename or move a category (admins)' })
  @Patch('categories/:id')
  @ApiOkResponse({ type: CategoryDto })
  @ApiErrors('NOT_FOUND', 'CONFLICT')
  updateCategory(
    @Param('id', uuid) id: string,
    @Body() body: UpdateCategoryDto,
  ): Promise<Category> {
    return this.categories.update(id, body);
  }

  @ApiOperation({ operationId: 'deleteCategory', summary: 'Delete an empty category (admins)' })
  @Delete('categories/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (only when it has no products or subcategories)' })
  @ApiErrors('NOT_FOUND', 'CONFLICT')
  async deleteCategory(@Param('id', uuid) id: string): Promise<void> {
    await this.categories.remove(id);
  }

  @ApiOperation({ operationId: 'createProduct', summary: 'Create a product (admins)' })
  @Post('products')
  @ApiCreatedResponse({ type: ProductDto })
  @ApiErrors('NOT_FOUND', 'CONFLICT')
  async createProduct(@Body() body: CreateProductDto): Promise<ProductView> {
    return toProductView(await this.products.create(body));
  }

  @ApiOperation({
    operationId: 'adminListProducts',
    summary: 'Every product, inactive ones too, by SKU (admins)',
  })
  @Get('products')
  @ApiOkResponse({ type: ProductPageDto })
  async listProducts(@Query() query: AdminProductListQuery): Promise<Page<ProductView>> {
    const page = await this.products.adminList(query);
    return { items: page.items.map(toProductView), nextCursor: page.nextCursor };
  }

  @ApiOperation({ operationId: 'adminGetProduct', summary: 'A product, active or not (admins)' })
  @Get('products/:id')
  @ApiOkResponse({ type: ProductDto, description: 'Also inactive products' })
  @ApiErrors('NOT_FOUND')
  async getProduct(@Param('id', uuid) id: string): Promise<ProductView> {
    return toProductView(await this.products.get(id));
  }

  @ApiOperation({ operationId: 'updateProduct', summary: 'Change a product (admins)' })
  @Patch('products/:id')
  @ApiOkResponse({ type: ProductDto })
  @ApiErrors('NOT_FOUND', 'CONFLICT')
  async updateProduct(
    @Param('id', uuid) id: string,
    @Body() body: UpdateProductDto,
  ): Promise<ProductView> {
    return toProductView(await this.products.update(id, body));
  }

  @ApiOperation({ operationId: 'deactivateProduct', summary: 'Stop selling a product (admins)' })
  @Delete('products/:id')
  @ApiOkResponse({
    type: ProductDto,
    description: 'Deactivated (products are never deleted: orders keep them)',
  })
  @ApiErrors('NOT_FOUND')
  async deactivateProduct(@Param('id', uuid) id: string): Promise<ProductView> {
    return toProductView(await this.products.deactivate(id));
  }

  @ApiOperation({ operationId: 'listStores', summary: 'List dark stores (admins)' })
  @Get('stores')
  @ApiOkResponse({ type: [StoreDto] })
  listStores(): Promise<Store[]> {
    return this.stores.list();
  }

  @ApiOperation({ operationId: 'createStore', summary: 'Create a dark store (admins)' })
  @Post('stores')
  @ApiCreatedResponse({ type: StoreDto })
  @ApiErrors('CONFLICT')
  createStore(@Body() body: CreateStoreDto): Promise<Store> {
    return this.stores.create(body);
  }

  @ApiOperation({ operationId: 'updateStore', summary: 'Change a dark store (admins)' })
  @Patch('stores/:id')
  @ApiOkResponse({ type: StoreDto })
  @ApiErrors('NOT_FOUND', 'CONFLICT')
  updateStore(@Param('id', uuid) id: string, @Body() body: UpdateStoreDto): Promise<Store> {
    return this.stores.update(id, body);
  }
}
