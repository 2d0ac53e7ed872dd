import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Dispatcher,
  RiderShifts,
  toOfferView,
  type OfferView,
  type RiderView,
} from '#libs/dispatch';
import type { OrderView } from '#libs/orders';
import { CurrentUser, Roles, type Principal } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { OrderDto } from '../orders/dto/orders.dto.js';
import { OfferDto, RiderDto, ShiftChangeDto } from './dto/dispatch.dto.js';

const uuid = new ParseUUIDPipe();

/** Riders: their shift, and the orders offered to them (docs/dispatch.md). */
@ApiTags('rider')
@ApiBearerAuth()
@Roles('rider')
@ApiErrors('FORBIDDEN')
@Controller('rider')
export class RiderDispatchController {
  constructor(
    private readonly shifts: RiderShifts,
    private readonly dispatcher: Dispatcher,
  ) {}

  @ApiOperation({ operationId: 'riderGetShift', summary: 'My shift: state, load, open offer' })
  @Get('shift')
  @ApiOkResponse({ type: RiderDto })
  shift(@CurrentUser() me: Principal): Promise<RiderView> {
    return this.shifts.get(me.userId);
  }

  @ApiOperation({
    operationId: 'riderChangeShift',
    summary: 'Go on shift (AVAILABLE) or off (OFF_DUTY); off declines my open offer',
  })
  @Put('shift')
  @ApiOkResponse({ type: RiderDto })
  @ApiErrors('NOT_FOUND', 'NO_STORE_ASSIGNED', 'RIDER_BUSY')
  change(@CurrentUser() me: Principal, @Body() body: ShiftChangeDto): Promise<RiderView> {
    return this.shifts.change(me.userId, body);
  }

  @ApiOperation({ operationId: 'riderListOffers', summary: 'Orders offered to me, open ones' })
  @Get('offers')
  @ApiOkResponse({ type: [OfferDto] })
  offers(@CurrentUser() me: Principal): Promise<OfferView[]> {
    return this.shifts.openOffers(me.userId);
  }

  @ApiOperation({
    operationId: 'riderAcceptOffer',
    summary: 'Accept an offer: the order goes OUT_FOR_DELIVERY with me',
  })
  @Post('offers/:id/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderDto })
  @ApiErrors(
    'NOT_FOUND',
    'OFFER_EXPIRED',
    'OFFER_NOT_OPEN',
    'RIDER_AT_CAPACITY',
    'INVALID_TRANSITION',
  )
  accept(@CurrentUser() me: Principal, @Param('id', uuid) id: string): Promise<OrderView> {
    return this.dispatcher.accept(id, me.userId);
  }

  @ApiOperation({ operationId: 'riderDeclineOffer', summary: 'Decline an offer' })
  @Post('offers/:id/decline')
  @HttpCode(200)
  @ApiOkResponse({ type: OfferDto })
  @ApiErrors('NOT_FOUND', 'OFFER_EXPIRED', 'OFFER_NOT_OPEN')
  async decline(@CurrentUser() me: Principal, @Param('id', uuid) id: string): Promise<OfferView> {
    return toOfferView(await this.dispatcher.decline(id, me.userId));
  }
}
