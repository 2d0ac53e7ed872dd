import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Promotions, type PromotionInput } from '#libs/promotions';
import { Roles } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import {
  CreatePromotionDto,
  PromotionDto,
  PromotionUsageDto,
  UpdatePromotionDto,
} from './dto/promotions.dto.js';
import { toPromotionDto, toUsageDto } from './promotion-views.js';

const uuid = new ParseUUIDPipe();

/** Admins keep promotions: create, edit, pause (`paused: true`), and see what they gave. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors('FORBIDDEN')
@Controller('admin/promotions')
export class AdminPromotionsController {
  constructor(private readonly promotions: Promotions) {}

  @ApiOperation({ operationId: 'createPromotion', summary: 'Create a promotion (admins)' })
  @Post()
  @ApiCreatedResponse({ type: PromotionDto })
  @ApiErrors('PROMOTION_CODE_TAKEN')
  async create(@Body() body: CreatePromotionDto): Promise<PromotionDto> {
    return toPromotionDto(await this.promotions.create(inputOf(body)));
  }

  @ApiOperation({
    operationId: 'listPromotions',
    summary: 'List promotions, newest first (admins)',
  })
  @Get()
  @ApiOkResponse({ type: [PromotionDto] })
  async list(): Promise<PromotionDto[]> {
    return (await this.promotions.list()).map(toPromotionDto);
  }

  @ApiOperation({ operationId: 'updatePromotion', summary: 'Edit or pause a promotion (admins)' })
  @Patch(':id')
  @ApiOkResponse({ type: PromotionDto })
  @ApiErrors('NOT_FOUND', 'PROMOTION_CODE_TAKEN')
  async update(
    @Param('id', uuid) id: string,
    @Body() body: UpdatePromotionDto,
  ): Promise<PromotionDto> {
    return toPromotionDto(await this.promotions.update(id, body as Partial<PromotionInput>));
  }

  @ApiOperation({ operationId: 'promotionUsage', summary: 'What a promotion gave (admins)' })
  @Get(':id/usage')
  @ApiOkResponse({ type: PromotionUsageDto })
  @ApiErrors('NOT_FOUND')
  async usage(@Param('id', uuid) id: string): Promise<PromotionUsageDto> {
    return toUsageDto(await this.promotions.usage(id));
  }
}

/** A new promotion: what the admin left out takes its default. */
function inputOf(body: CreatePromotionDto): PromotionInput {
  return {
    code: body.code ?? null,
    name: body.name,
    kind: body.kind,
    percentBp: body.percentBp ?? null,
    maxDiscountMinor: body.maxDiscountMinor ?? null,
    amountMinor: body.amountMinor ?? null,
    buyQuantity: body.buyQuantity ?? null,
    freeQuantity: body.freeQuantity ?? null,
    productIds: body.productIds ?? null,
    categoryIds: body.categoryIds ?? null,
    storeIds: body.storeIds ?? null,
    minBasketMinor: body.minBasketMinor ?? 0,
    startsAt: body.startsAt ?? null,
    endsAt: body.endsAt ?? null,
    firstOrderOnly: body.firstOrderOnly ?? false,
    perCustomerLimit: body.perCustomerLimit ?? null,
    usageLimit: body.usageLimit ?? null,
    paused: body.paused ?? false,
  };
}
