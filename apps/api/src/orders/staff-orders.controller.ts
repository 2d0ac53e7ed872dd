import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { UsersService } from '#libs/auth';
import { Dispatcher, RiderShifts } from '#libs/dispatch';
import { StoresService } from '#libs/inventory';
import {
  OrderQueries,
  OrderStaffNotes,
  OrderTransitions,
  type OrderFilter,
  type OrderView,
  type StaffNoteView,
} from '#libs/orders';
import { ProductsService } from '#libs/products';
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
import { AddStaffNoteDto, StaffNoteDto, StaffOrderDto } from './dto/staff-order.dto.js';

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
    private readonly dispatcher: Dispatcher,
    private readonly shifts: RiderShifts,
    private readonly users: UsersService,
    private readonly stores: StoresService,
    private readonly products: ProductsService,
    private readonly notes: OrderStaffNotes,
  ) {}

  @ApiOperation({
    operationId: 'adminListOrders',
    summary: 'List or search orders (admins): by id, customer email or phone with `q`',
  })
  @Get()
  @ApiOkResponse({ type: OrderPageDto })
  @ApiErrors('VALIDATION_FAILED')
  async list(
    @CurrentUser() me: Principal,
    @Query() query: AdminOrderListQuery,
  ): Promise<Page<OrderView>> {
    const { q, ...rest } = query;
    return this.orders.list(
      { id: me.userId, role: 'admin' },
      {
        ...rest,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        match: q?.trim() ? await this.searchTerms(q.trim()) : undefined,
      },
    );
  }

  /** What a search term may be: an order id (prefix), and/or the customers it names. */
  private async searchTerms(q: string): Promise<NonNullable<OrderFilter['match']>> {
    const lower = q.toLowerCase();
    return {
      idPrefix: /^[0-9a-f]{8}(-[0-9a-f-]{0,27})?$/.test(lower) ? lower : undefined,
      userIds: await this.users.idsByContact(q, 'q'),
    };
  }

  @ApiOperation({
    operationId: 'adminGetOrder',
    summary: 'One order for store staff: customer contact, rider, offers, internal notes (admins)',
  })
  @Get(':id')
  @ApiOkResponse({ type: StaffOrderDto })
  @ApiErrors('NOT_FOUND')
  async get(
    @CurrentUser() me: Principal,
    @Param('id', uuid) id: string,
  ): Promise<Omit<StaffOrderDto, 'order'> & { order: OrderView }> {
    const order = await this.orders.get(id, { id: me.userId, role: 'admin' });
    const person = async (userId: string) => {
      const u = await this.users.get(userId);
      return { id: u.id, name: u.name, email: u.email, phone: u.phone };
    };
    const [customer, rider, store, offers, notes, images] = await Promise.all([
      person(order.userId),
      order.riderId ? person(order.riderId) : undefined,
      this.stores.get(order.storeId),
      this.shifts.offersOfOrder(id),
      this.notes.list(id),
      this.products.imagesOf(order.items.map((i) => i.productId)),
    ]);
    return {
      order,
      customer,
      ...(rider ? { rider } : {}),
      store: {
        id: store.id,
        name: store.name,
        code: store.code,
        latitude: store.latitude,
        longitude: store.longitude,
        serviceRadiusM: store.serviceRadiusM,
      },
      offers,
      notes,
      images: [...images].map(([productId, imageUrl]) => ({ productId, imageUrl })),
    };
  }

  @ApiOperation({
    operationId: 'adminAddOrderNote',
    summary: 'Add an internal note to an order (admins; never shown to the customer)',
  })
  @Post(':id/notes')
  @ApiCreatedResponse({ type: StaffNoteDto })
  @ApiErrors('NOT_FOUND', 'VALIDATION_FAILED')
  addNote(
    @CurrentUser() me: Principal,
    @Param('id', uuid) id: string,
    @Body() body: AddStaffNoteDto,
  ): Promise<StaffNoteView> {
    return this.notes.add(id, me.userId, body.body);
  }

  @ApiOperation({
    operationId: 'adminTransitionOrder',
    summary: 'Pack, send out or cancel an order (admins)',
  })
  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderDto })
  @ApiErrors(
    'NOT_FOUND',
    'INVALID_TRANSITION',
    'VALIDATION_FAILED',
    'RIDER_OFF_SHIFT',
    'RIDER_OF_ANOTHER_STORE',
  )
  transition(
    @CurrentUser() me: Principal,
    @Param('id', uuid) id: string,
    @Body() body: AdminTransitionDto,
  ): Promise<OrderView> {
    const actor = { id: me.userId, role: 'admin' as const };
    // Sent out by hand: the rider must be on shift at the order's store, as for an offer.
    if (body.to === 'OUT_FOR_DELIVERY' && body.riderId)
      return this.dispatcher.sendOutByHand(id, body.riderId, actor);
    return this.transitions.transition(id, actor, body);
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
