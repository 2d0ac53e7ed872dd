import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { OrderQueries, OrderTransitions, type OrderView } from '#libs/orders';
import type { Page } from '#libs/platform';
import { CurrentUser, Roles, type Principal } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import {
  AdminOrderListQuery,
  AdminTransitionDto,
  OrderDto,
  OrderListQuery,
  OrderPageDto,
  RiderTransitionDto,
} from './dto/orders.dto.js';

const uuid = new ParseUUIDPipe();

/** Store staff: every order, and the PLACED → PACKED → OUT_FOR_DELIVERY / CANCELLED moves. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors('FORBIDDEN')
@Controller('admin/orders')
export class AdminOrdersController {
  constructor(
    private readonly orders: OrderQueries,
    private readonly transitions: OrderTransitions,
  ) {}

  @ApiOperation({ operationId: 'adminListOrders', summary: 'List orders (admins)' })
  @Get()
  @ApiOkResponse({ type: OrderPageDto })
  list(
    @CurrentUser() me: Principal,
    @Query() query: AdminOrderListQuery,
  ): Promise<Page<OrderView>> {
    return this.orders.list(
      { id: me.userId, role: 'admin' },
      {
        ...query,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
    );
  }

  @ApiOperation({
    operationId: 'adminTransitionOrder',
    summary: 'Pack, send out or cancel an order (admins)',
  })
  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderDto })
  @ApiErrors('NOT_FOUND', 'INVALID_TRANSITION')
  transition(
    @CurrentUser() me: Principal,
    @Param('id', uuid) id: string,
    @Body() body: AdminTransitionDto,
  ): Promise<OrderView> {
    return this.transitions.transition(id, { id: me.userId, role: 'admin' }, body);
  }
}

/** Riders: the orders assigned to them, and delivering them. */
@ApiTags('rider')
@ApiBearerAuth()
@Roles('rider')
@ApiErrors('FORBIDDEN')
@Controller('rider/orders')
export class RiderOrdersController {
  constructor(
    private readonly orders: OrderQueries,
    private readonly transitions: OrderTransitions,
  ) {}

  @ApiOperation({ operationId: 'riderListOrders', summary: 'Orders assigned to me (riders)' })
  @Get()
  @ApiOkResponse({ type: OrderPageDto })
  list(@CurrentUser() me: Principal, @Query() query: OrderListQuery): Promise<Page<OrderView>> {
    return this.orders.list({ id: me.userId, role: 'rider' }, query);
  }

  @ApiOperation({
    operationId: 'riderTransitionOrder',
    summary: 'Mark my order delivered (riders)',
  })
  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderDto })
  @ApiErrors('NOT_FOUND', 'INVALID_TRANSITION')
  transition(
    @CurrentUser() me: Principal,
    @Param('id', uuid) id: string,
    @Body() body: RiderTransitionDto,
  ): Promise<OrderView> {
    return this.transitions.transition(id, { id: me.userId, role: 'rider' }, body);
  }
}
