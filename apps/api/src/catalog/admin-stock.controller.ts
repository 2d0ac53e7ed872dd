import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { StockService, type StockLevel, type StockMovement, type StockRow } from '#libs/inventory';
import type { Page } from '#libs/platform';
import { CurrentUser, Roles, type Principal } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { PageQuery } from '../pagination/page-query.dto.js';
import {
  AdjustStockDto,
  SetStockDto,
  StockLevelDto,
  StockListQuery,
  StockMovementPageDto,
  StockRowPageDto,
} from './dto/admin-catalog.dto.js';

const uuid = new ParseUUIDPipe();

/** Per-store stock and its ledger. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors('FORBIDDEN', 'NOT_FOUND')
@Controller('admin/stores/:storeId/stock')
export class AdminStockController {
  constructor(private readonly stock: StockService) {}

  @ApiOperation({ operationId: 'listStock', summary: 'Stock levels of a store (admins)' })
  @Get()
  @ApiOkResponse({ type: StockRowPageDto, description: 'Stock rows of the store, by SKU' })
  list(
    @Param('storeId', uuid) storeId: string,
    @Query() query: StockListQuery,
  ): Promise<Page<StockRow>> {
    return this.stock.list(storeId, query);
  }

  @ApiOperation({
    operationId: 'setStock',
    summary: 'Set the stock of a product at a store (admins)',
  })
  @Put(':productId')
  @ApiOkResponse({ type: StockLevelDto })
  set(
    @CurrentUser() me: Principal,
    @Param('storeId', uuid) storeId: string,
    @Param('productId', uuid) productId: string,
    @Body() body: SetStockDto,
  ): Promise<StockLevel> {
    return this.stock.set(storeId, productId, body.quantity, body.reason, me.userId, body.note);
  }

  @ApiOperation({
    operationId: 'adjustStock',
    summary: 'Add or remove stock of a product at a store (admins)',
  })
  @Post(':productId/adjustments')
  @HttpCode(200)
  @ApiOkResponse({ type: StockLevelDto })
  @ApiErrors('INSUFFICIENT_STOCK')
  adjust(
    @CurrentUser() me: Principal,
    @Param('storeId', uuid) storeId: string,
    @Param('productId', uuid) productId: string,
    @Body() body: AdjustStockDto,
  ): Promise<StockLevel> {
    return this.stock.adjust(storeId, productId, body.delta, body.reason, me.userId, body.note);
  }

  @ApiOperation({
    operationId: 'listStockMovements',
    summary: 'The stock ledger of a product at a store (admins)',
  })
  @Get(':productId/movements')
  @ApiOkResponse({ type: StockMovementPageDto, description: 'The ledger, newest first' })
  movements(
    @Param('storeId', uuid) storeId: string,
    @Param('productId', uuid) productId: string,
    @Query() query: PageQuery,
  ): Promise<Page<StockMovement>> {
    return this.stock.movements(storeId, productId, query);
  }
}
