import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  OrderPlacement,
  OrderQueries,
  OrderTransitions,
  type OrderEventView,
  type OrderView,
} from '#libs/orders';
import type { Page } from '#libs/platform';
import { CurrentUser, Roles, type Principal } from '../auth/principal.js';
import { DeliveryAddressChoice } from '../accounts/delivery-address-choice.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import {
  CancelOrderDto,
  EventsQuery,
  OrderDto,
  OrderListQuery,
  OrderPageDto,
  PlaceOrderDto,
} from './dto/orders.dto.js';
import { ORDER_EVENT_TYPES, orderEventRef } from './dto/order-event.dto.js';
import { IdempotencyKey } from './idempotency-key.decorator.js';

const uuid = new ParseUUIDPipe();

/** A customer's orders. Someone else's order is a 404. */
@ApiTags('orders')
@ApiExtraModels(...ORDER_EVENT_TYPES)
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly placement: OrderPlacement,
    private readonly orders: OrderQueries,
    private readonly transitions: OrderTransitions,
    private readonly addresses: DeliveryAddressChoice,
  ) {}

  @ApiOperation({ operationId: 'placeOrder', summary: 'Place an order' })
  @Post()
  @Roles('customer')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Same key + same body = same order',
  })
  @ApiCreatedResponse({
    type: OrderDto,
    description: 'Placed (a replay answers the original response)',
  })
  @ApiErrors(
    'FORBIDDEN',
    'NOT_FOUND',
    'IDEMPOTENCY_KEY_IN_USE',
    'IDEMPOTENCY_KEY_REUSED',
    'INSUFFICIENT_STOCK',
    'NOT_SERVICEABLE',
    'PRODUCT_UNAVAILABLE',
    'STORE_BUSY',
    'TOO_MANY_OPEN_ORDERS',
    'ORDER_TOO_LARGE',
    'PROMOTION_UNKNOWN',
    'PROMOTION_NOT_APPLICABLE',
    'PROMOTION_UNAVAILABLE',
    'RATE_LIMITED',
  )
  async place(
    @CurrentUser() me: Principal,
    @IdempotencyKey() key: string,
    @Body() body: PlaceOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const { addressId, ...order } = body;
    // The key's request is what was sent: a retry with the same addressId is the same request
    // even if the saved address was edited, or deleted, in between (the first order answers it).
    const result = await this.addresses.resolve(me.userId, body).then(
      (address) =>
        this.placement.place(
          me.userId,
          key,
          { ...order, address },
          addressId ? { fingerprint: body } : {},
        ),
      async (err: unknown) => {
        const earlier = addressId ? await this.placement.replay(me.userId, key, body) : undefined;
        if (!earlier) throw err;
        return earlier;
      },
    );
    void reply.status(result.status);
    return result.body;
  }

  @ApiOperation({ operationId: 'listOrders', summary: 'My orders, newest first' })
  @Get()
  @ApiOkResponse({ type: OrderPageDto, description: 'My orders, newest first' })
  list(@CurrentUser() me: Principal, @Query() query: OrderListQuery): Promise<Page<OrderView>> {
    return this.orders.list({ id: me.userId, role: 'customer' }, query);
  }

  @ApiOperation({
    operationId: 'getOrder',
    summary: 'An order with its items, totals and timeline',
  })
  @Get(':id')
  @ApiOkResponse({ type: OrderDto, description: 'With items, totals and the timeline' })
  @ApiErrors('NOT_FOUND')
  get(@CurrentUser() me: Principal, @Param('id', uuid) id: string): Promise<OrderView> {
    return this.orders.get(id, { id: me.userId, role: me.role });
  }

  @ApiOperation({ operationId: 'listOrderEvents', summary: 'The timeline of an order after a seq' })
  @Get(':id/events')
  @ApiOkResponse({
    schema: { type: 'array', items: orderEventRef },
    description: 'The timeline after afterSeq, in seq order',
  })
  @ApiErrors('NOT_FOUND')
  events(
    @CurrentUser() me: Principal,
    @Param('id', uuid) id: string,
    @Query() query: EventsQuery,
  ): Promise<OrderEventView[]> {
    return this.orders.events(id, { id: me.userId, role: me.role }, query.afterSeq);
  }

  @ApiOperation({ operationId: 'cancelOrder', summary: 'Cancel my order' })
  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('customer')
  @ApiOkResponse({ type: OrderDto })
  @ApiErrors('FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION')
  cancel(
    @CurrentUser() me: Principal,
    @Param('id', uuid) id: string,
    @Body() body: CancelOrderDto,
  ): Promise<OrderView> {
    return this.transitions.transition(
      id,
      { id: me.userId, role: 'customer' },
      { to: 'CANCELLED', reason: body?.reason },
    );
  }
}
