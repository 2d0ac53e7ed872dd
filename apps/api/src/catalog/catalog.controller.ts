import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CatalogService, StoresService, type ServiceableStore } from '#libs/inventory';
import { CategoriesService, type CategoryNode, type ProductView } from '#libs/products';
import { Public, type Page } from '#libs/platform';
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

/** Public catalog reads (cached; see ReadCache). */
@ApiTags('catalog')
@Public()
@Controller()
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly stores: StoresService,
    private readonly categories: CategoriesService,
  ) {}

  @Get('stores/serviceable')
  @ApiOkResponse({
    type: [ServiceableStoreDto],
    description: 'Open stores covering the point, nearest first',
  })
  @ApiErrors(400)
  async serviceable(@Query() query: ServiceableQuery): Promise<ServiceableStoreDto[]> {
    const stores = await this.stores.serviceable({ lat: query.lat, lng: query.lng });
    return stores.map((s: ServiceableStore) => ({
      id: s.id,
      name: s.name,
      code: s.code,
      latitude: s.latitude,
      longitude: s.longitude,
      serviceRadiusM: s.serviceRadiusM,
      distanceM: s.distanceM,
    }));
  }

  @Get('categories')
  @ApiOkResponse({ type: [CategoryNodeDto] })
  tree(): Promise<CategoryNode[]> {
    return this.categories.tree();
  }

  @Get('products')
  @ApiOkResponse({ type: ProductPageDto })
  @ApiErrors(400, 404)
  browse(@Query() query: BrowseProductsQuery): Promise<Page<ProductView>> {
    return this.catalog.browse(query);
  }

  @Get('products/:id')
  @ApiOkResponse({ type: ProductDto })
  @ApiErrors(400, 404)
  product(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ProductQuery,
  ): Promise<ProductView> {
    return this.catalog.product(id, query.storeId);
  }
}
