import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Ratings, type RatingsSummary, type RatingView } from '#libs/ratings';
import { CurrentUser, Roles, type Principal } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import {
  RateOrderDto,
  RatingDto,
  RatingsSummaryDto,
  RatingsSummaryQuery,
} from './dto/ratings.dto.js';

const uuid = new ParseUUIDPipe();

/** A customer rates a delivered order of theirs, once. */
@ApiTags('orders')
@ApiBearerAuth()
@ApiErrors('FORBIDDEN')
@Roles('customer')
@Controller('orders/:id/rating')
export class OrderRatingController {
  constructor(private readonly ratings: Ratings) {}

  @ApiOperation({
    operationId: 'rateOrder',
    summary: 'Rate my delivered order (and its rider), once',
  })
  @Post()
  @ApiCreatedResponse({ type: RatingDto })
  @ApiErrors('NOT_FOUND', 'ALREADY_RATED', 'ORDER_NOT_DELIVERED')
  rate(
    @CurrentUser() me: Principal,
    @Param('id', uuid) id: string,
    @Body() body: RateOrderDto,
  ): Promise<RatingView> {
    return this.ratings.rate(me.userId, id, body);
  }

  @ApiOperation({ operationId: 'getOrderRating', summary: 'My rating of my order' })
  @Get()
  @ApiOkResponse({ type: RatingDto })
  @ApiErrors('NOT_FOUND')
  get(@CurrentUser() me: Principal, @Param('id', uuid) id: string): Promise<RatingView> {
    return this.ratings.get(me.userId, id);
  }
}

/** Average ratings per store and per rider (admins). */
@ApiTags('admin')
@ApiBearerAuth()
@ApiErrors('FORBIDDEN')
@Roles('admin')
@Controller('admin/ratings')
export class AdminRatingsController {
  constructor(private readonly ratings: Ratings) {}

  @ApiOperation({
    operationId: 'ratingsSummary',
    summary: 'Average ratings per store and per rider (admins)',
  })
  @Get('summary')
  @ApiOkResponse({ type: RatingsSummaryDto })
  summary(@Query() query: RatingsSummaryQuery): Promise<RatingsSummary> {
    return this.ratings.summary(query);
  }
}
