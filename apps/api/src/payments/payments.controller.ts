import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CodCollections, PaymentStarts, PaymentViews, type PaymentView } from '#libs/payments';
import { CurrentUser, Roles, type Principal } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { CollectCashDto, PaymentDto } from './dto/payments.dto.js';

const uuid = new ParseUUIDPipe();

/** A customer's payment for an order (docs/api.md "Payments"). */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class PaymentsController {
  constructor(
    private readonly starts: PaymentStarts,
    private readonly views: PaymentViews,
  ) {}

  @ApiOperation({
    operationId: 'startPayment',
    summary: 'Start (or resume) paying an online order: what the provider’s checkout needs',
  })
  @Post(':id/payment')
  @HttpCode(200)
  @Roles('customer')
  @ApiOkResponse({ type: PaymentDto, description: 'The same payment however often it is asked' })
  @ApiErrors(
    'FORBIDDEN',
    'NOT_FOUND',
    'PAYMENT_NOT_ONLINE',
    'PAYMENT_NOT_OPEN',
    'PAYMENT_PROVIDER_UNAVAILABLE',
  )
  start(@CurrentUser() me: Principal, @Param('id', uuid) id: string): Promise<PaymentView> {
    return this.starts.start(id, { id: me.userId, role: 'customer' });
  }

  @ApiOperation({ operationId: 'getPayment', summary: 'How an order is paid, and its refunds' })
  @Get(':id/payment')
  @ApiOkResponse({ type: PaymentDto })
  @ApiErrors('NOT_FOUND')
  get(@CurrentUser() me: Principal, @Param('id', uuid) id: string): Promise<PaymentView> {
    return this.views.forOrder(id, { id: me.userId, role: me.role });
  }
}

/** Admins: an order's payment with its refunds, cash and ledger. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors('FORBIDDEN')
@Controller('admin/orders')
export class AdminPaymentsController {
  constructor(private readonly views: PaymentViews) {}

  @ApiOperation({
    operationId: 'adminGetPayments',
    summary: 'An order’s payment, refunds, cash collected and ledger (admins)',
  })
  @Get(':id/payments')
  @ApiOkResponse({ type: PaymentDto })
  @ApiErrors('NOT_FOUND')
  get(@CurrentUser() me: Principal, @Param('id', uuid) id: string): Promise<PaymentView> {
    return this.views.forOrder(id, { id: me.userId, role: 'admin' });
  }
}

/** Riders: the cash collected at the door of a cash-on-delivery order. */
@ApiTags('rider')
@ApiBearerAuth()
@Roles('rider')
@ApiErrors('FORBIDDEN')
@Controller('rider/orders')
export class RiderCashController {
  constructor(private readonly cash: CodCollections) {}

  @ApiOperation({
    operationId: 'riderCollectCash',
    summary: 'Record the cash collected for my cash-on-delivery order (riders)',
  })
  @Post(':id/cash')
  @HttpCode(200)
  @ApiOkResponse({
    type: PaymentDto,
    description: 'Recorded once; the same amount again is a no-op',
  })
  @ApiErrors('NOT_FOUND', 'CASH_NOT_COLLECTABLE')
  collect(
    @CurrentUser() me: Principal,
    @Param('id', uuid) id: string,
    @Body() body: CollectCashDto,
  ): Promise<PaymentView> {
    return this.cash.collect(id, { id: me.userId, role: 'rider' }, body.collectedMinor);
  }
}
