import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Carts, Checkout, type CartView } from '#libs/cart';
import type { OrderView } from '#libs/orders';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles, type Principal } from '../auth/principal.js';
import { DeliveryAddressChoice } from '../accounts/delivery-address-choice.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import {
  AddCartLineDto,
  CartDto,
  SetCartAddressDto,
  SetCartLineDto,
  SetPromoCodeDto,
  CheckoutDto,
} from './dto/cart.dto.js';
import { OrderDto } from '../orders/dto/orders.dto.js';
import { IdempotencyKey } from '../orders/idempotency-key.decorator.js';

const uuid = new ParseUUIDPipe();

/**
 * The customer's cart, kept on the server and priced on every answer (docs/api.md "Cart and
 * checkout"). Every route answers the whole cart as it is now.
 */
@ApiTags('cart')
@ApiBearerAuth()
@ApiErrors('FORBIDDEN')
@Roles('customer')
@Controller('cart')
export class CartController {
  constructor(
    private readonly carts: Carts,
    private readonly checkouts: Checkout,
    private readonly addresses: DeliveryAddressChoice,
  ) {}

  @ApiOperation({ operationId: 'getCart', summary: 'Read the cart, priced now' })
  @Get()
  @ApiOkResponse({ type: CartDto })
  view(@CurrentUser() me: Principal): Promise<CartView> {
    return this.carts.view(me.userId);
  }

  @ApiOperation({ operationId: 'addCartLine', summary: 'Add units of a product to the cart' })
  @Post('lines')
  @HttpCode(200)
  @ApiOkResponse({ type: CartDto })
  @ApiErrors('NOT_FOUND', 'PRODUCT_UNAVAILABLE')
  add(@CurrentUser() me: Principal, @Body() body: AddCartLineDto): Promise<CartView> {
    return this.carts.add(me.userId, body.productId, body.quantity);
  }

  @ApiOperation({ operationId: 'setCartLine', summary: 'Set a line’s quantity (0 removes it)' })
  @Put('lines/:productId')
  @ApiOkResponse({ type: CartDto })
  @ApiErrors('NOT_FOUND', 'PRODUCT_UNAVAILABLE')
  set(
    @CurrentUser() me: Principal,
    @Param('productId', uuid) productId: string,
    @Body() body: SetCartLineDto,
  ): Promise<CartView> {
    return this.carts.set(me.userId, productId, body.quantity);
  }

  @ApiOperation({ operationId: 'removeCartLine', summary: 'Remove a product from the cart' })
  @Delete('lines/:productId')
  @ApiOkResponse({ type: CartDto })
  @ApiErrors('NOT_FOUND')
  remove(
    @CurrentUser() me: Principal,
    @Param('productId', uuid) productId: string,
  ): Promise<CartView> {
    return this.carts.remove(me.userId, productId);
  }

  @ApiOperation({
    operationId: 'setCartAddress',
    summary: 'Set where to deliver (the cart moves to the store serving it)',
  })
  @Put('address')
  @ApiOkResponse({ type: CartDto })
  @ApiErrors('NOT_FOUND')
  async setAddress(
    @CurrentUser() me: Principal,
    @Body() body: SetCartAddressDto,
  ): Promise<CartView> {
    const address = await this.addresses.resolve(me.userId, body);
    return this.carts.setAddress(me.userId, address, body.storeId ?? null);
  }

  @ApiOperation({ operationId: 'applyPromoCode', summary: 'Apply a promo code to the cart' })
  @Put('promo-code')
  @ApiOkResponse({ type: CartDto })
  @ApiErrors('PROMOTION_UNKNOWN')
  applyCode(@CurrentUser() me: Principal, @Body() body: SetPromoCodeDto): Promise<CartView> {
    return this.carts.setPromoCode(me.userId, body.code);
  }

  @ApiOperation({ operationId: 'removePromoCode', summary: 'Remove the cart’s promo code' })
  @Delete('promo-code')
  @ApiOkResponse({ type: CartDto })
  removeCode(@CurrentUser() me: Principal): Promise<CartView> {
    return this.carts.removePromoCode(me.userId);
  }

  @ApiOperation({ operationId: 'clearCart', summary: 'Empty the cart (address and code stay)' })
  @Delete()
  @ApiOkResponse({ type: CartDto })
  clear(@CurrentUser() me: Principal): Promise<CartView> {
    return this.carts.clear(me.userId);
  }

  @ApiOperation({
    operationId: 'checkout',
    summary: 'Turn the cart into an order, at exactly the total it showed',
  })
  @Post('checkout')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Same key + same body = same order, even after the cart was emptied by it',
  })
  @ApiCreatedResponse({
    type: OrderDto,
    description: 'Placed; the cart is emptied with the order (a replay answers the original)',
  })
  @ApiErrors(
    'CART_CHANGED',
    'CART_NOT_READY',
    'IDEMPOTENCY_KEY_IN_USE',
    'IDEMPOTENCY_KEY_REUSED',
    'STORE_BUSY',
    'TOO_MANY_OPEN_ORDERS',
    'ORDER_TOO_LARGE',
  )
  async checkout(
    @CurrentUser() me: Principal,
    @IdempotencyKey() key: string,
    @Body() body: CheckoutDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const result = await this.checkouts.checkout(me.userId, key, body);
    void reply.status(result.status);
    return result.body;
  }
}
