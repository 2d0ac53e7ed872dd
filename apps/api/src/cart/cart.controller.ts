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
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Carts, type CartView } from '#libs/cart';
import { CurrentUser, Roles, type Principal } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import {
  AddCartLineDto,
  CartDto,
  SetCartAddressDto,
  SetCartLineDto,
  SetPromoCodeDto,
} from './dto/cart.dto.js';

const uuid = new ParseUUIDPipe();

/**
 * The customer's cart, kept on the server and priced on every answer (docs/api.md "Cart and
 * checkout"). Every route answers the whole cart as it is now.
 */
@ApiTags('cart')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Roles('customer')
@Controller('cart')
export class CartController {
  constructor(private readonly carts: Carts) {}

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
  @ApiErrors(400, 404, 422)
  add(@CurrentUser() me: Principal, @Body() body: AddCartLineDto): Promise<CartView> {
    return this.carts.add(me.userId, body.productId, body.quantity);
  }

  @ApiOperation({ operationId: 'setCartLine', summary: 'Set a line’s quantity (0 removes it)' })
  @Put('lines/:productId')
  @ApiOkResponse({ type: CartDto })
  @ApiErrors(400, 404, 422)
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
  @ApiErrors(400, 404)
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
  @ApiErrors(400)
  setAddress(@CurrentUser() me: Principal, @Body() body: SetCartAddressDto): Promise<CartView> {
    return this.carts.setAddress(me.userId, body.address, body.storeId ?? null);
  }

  @ApiOperation({ operationId: 'applyPromoCode', summary: 'Apply a promo code to the cart' })
  @Put('promo-code')
  @ApiOkResponse({ type: CartDto })
  @ApiErrors(400, 422)
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
}
