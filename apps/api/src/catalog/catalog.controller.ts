import { Controller, Get, Header, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CatalogService, StoresService, type ServiceableStore } from '#libs/inventory';
import { StoreCapacity } from '#libs/orders';
import { CategoriesService, type CategoryNode } from '#libs/products';
import { Public } from '#libs/platform';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import {
  BrowseProductsQuery,
  CategoryNodeDto,
  ProductDto,
  ProductPageDto,
  ProductQuery,
  ServiceableQuery,
  ServiceableStoreDto,
} from './dto/catalog.dto.js';

const JSON_CONTENT = 'application/json; charset=utf-8';

/** Public catalog reads (cached; see ReadCache). */
@ApiTags('catalog')
@Public()
@Controller()
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly stores: StoresService,
    private readonly categories: CategoriesService,
    private readonly capacity: StoreCapacity,
  ) {}

  @ApiOperation({
    operationId: 'listServiceableStores',
    summary: 'Stores that deliver to a location',
  })
  @Get('stores/serviceable')
  @ApiOkResponse({
    type: [ServiceableStoreDto],
    description: 'Open stores covering the point, nearest first',
  })
  async serviceable(@Query() query: ServiceableQuery): Promise<ServiceableStoreDto[]> {
    const stores = await this.stores.serviceable({ lat: query.lat, lng: query.lng });
    const busy = await this.capacity.busy(stores.map((s) => s.id));
    return stores.map((s: ServiceableStore) => ({
      id: s.id,
      name: s.name,
      code: s.code,
      latitude: s.latitude,
      longitude: s.longitude,
      serviceRadiusM: s.serviceRadiusM,
      distanceM: s.distanceM,
      busy: busy.has(s.id),
    }));
  }

  @ApiOperation({ operationId: 'getCategoryTree', summary: 'The category tree' })
  @Get('categories')
  @ApiOkResponse({ type: [CategoryNodeDto] })
  tree(): Promise<CategoryNode[]> {
    return this.categories.tree();
  }

  // The two hottest routes answer cached JSON text as is.
  @ApiOperation({
    operationId: 'listProducts',
    summary: "Browse products (with storeId: that store's stock)",
  })
  @Get('products')
  @Header('content-type', JSON_CONTENT)
  @ApiOkResponse({ type: ProductPageDto })
  @ApiErrors('NOT_FOUND')
  browse(@Query() query: BrowseProductsQuery): Promise<string> {
    return this.catalog.browseJson(query);
  }

  @ApiOperation({ operationId: 'getProduct', summary: 'A product' })
  @Get('products/:id')
  @Header('content-type', JSON_CONTENT)
  @ApiOkResponse({ type: ProductDto })
  @ApiErrors('NOT_FOUND')
  product(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ProductQuery,
  ): Promise<string> {
    return this.catalog.productJson(id, query.storeId);
  }
}
