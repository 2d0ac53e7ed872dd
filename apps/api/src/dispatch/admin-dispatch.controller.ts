import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RiderShifts, type RiderView } from '#libs/dispatch';
import { OrderShortPicks, type OrderView } from '#libs/orders';
import { CurrentUser, Roles, type Principal } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { OrderDto } from '../orders/dto/orders.dto.js';
import { RiderDto, ShortPickDto } from './dto/dispatch.dto.js';

const uuid = new ParseUUIDPipe();

/** Store staff: the store's riders, and short picks while packing. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors('FORBIDDEN')
@Controller('admin')
export class AdminDispatchController {
  constructor(
    private readonly shifts: RiderShifts,
    private readonly shortPicks: OrderShortPicks,
  ) {}

  @ApiOperation({
    operationId: 'adminListStoreRiders',
    summary: 'A store’s riders with state and load (admins)',
  })
  @Get('stores/:id/riders')
  @ApiOkResponse({ type: [RiderDto] })
  @ApiErrors('NOT_FOUND')
  riders(@Param('id', uuid) id: string): Promise<RiderView[]> {
    return this.shifts.forStore(id);
  }

  @ApiOperation({
    operationId: 'adminShortPickLine',
    summary:
      'Mark a line short while packing: lines, totals and refund due recomputed; nothing found on any line cancels (out_of_stock)',
  })
  @Post('orders/:id/lines/:productId/short')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderDto })
  @ApiErrors('NOT_FOUND', 'INVALID_TRANSITION')
  shortPick(
    @CurrentUser() me: Principal,
    @Param('id', uuid) id: string,
    @Param('productId', uuid) productId: string,
    @Body() body: ShortPickDto,
  ): Promise<OrderView> {
    return this.shortPicks.markShort(id, productId, body.found, { id: me.userId, role: 'admin' });
  }
}
