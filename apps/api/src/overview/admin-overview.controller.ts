import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StoreDayOverview, type StoreDayFigures } from '#libs/orders';
import { Roles } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { OverviewQuery, StoreDayDto } from './overview.dto.js';

/** The ops console's overview: each store's day so far. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors('FORBIDDEN')
@Controller('admin/overview')
export class AdminOverviewController {
  constructor(private readonly overview: StoreDayOverview) {}

  @ApiOperation({
    operationId: 'adminStoreDayOverview',
    summary: "Each store's day: orders, time to deliver, short picks, revenue (admins)",
  })
  @Get()
  @ApiOkResponse({ type: [StoreDayDto] })
  list(@Query() query: OverviewQuery): Promise<StoreDayFigures[]> {
    return this.overview.of(query);
  }
}
