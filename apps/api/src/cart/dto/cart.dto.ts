import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PAYMENT_METHODS, type PaymentMethod } from '#libs/orders';
import { Optional } from '#libs/platform';
import { MoneyDto } from '../../catalog/dto/catalog.dto.js';
import { AddressDto, IncludedTaxDto, OrderDiscountDto } from '../../orders/dto/orders.dto.js';

export class AddCartLineDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() productId!: string;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 100,
    description: 'Units added to the line',
  })
  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;
}

export class SetCartLineDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 100,
    description: 'The line’s quantity; 0 removes it',
  })
  @IsInt()
  @Min(0)
  @Max(100)
  quantity!: number;
}

export class SetCartAddressDto {
  @ApiPropertyOptional({
    type: AddressDto,
    description: 'Where to deliver: this, or `addressId` (exactly one of the two)',
  })
  @Optional()
  @IsObject({ message: 'address must be an object' })
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'One of my saved addresses, instead of `address`: the cart keeps a copy of it as it is now',
  })
  @Optional()
  @IsUUID()
  addressId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A store to buy from while it serves the address (default: the nearest)',
  })
  @Optional()
  @IsUUID()
  storeId?: string;
}

export class SetPromoCodeDto {
  @ApiProperty({ example: 'WELCOME50', minLength: 3, maxLength: 32 })
  @IsString()
  @Length(3, 32)
  code!: string;
}

export class CheckoutDto {
  @ApiProperty({
    description:
      'The `version` of the cart the customer saw: the order is placed at exactly that total, or 409 CART_CHANGED answers the cart as it is now',
    example: 'x3JfQm0c1rC2bqYvWzT9aA',
  })
  @IsString()
  @Length(1, 64)
  version!: string;

  @ApiPropertyOptional({ maxLength: 500 }) @Optional() @IsString() @Length(0, 500) note?: string;

  @ApiPropertyOptional({
    enum: PAYMENT_METHODS,
    // (no `default`: openapi-typescript would make the field required)
    description:
      'cod (the default) or online: the order waits (AWAITING_PAYMENT) until paid; see placeOrder',
  })
  @Optional()
  @IsIn(PAYMENT_METHODS)
  paymentMethod?: PaymentMethod;
}

class CartLineViewDto {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: String, nullable: true }) imageUrl!: string | null;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: MoneyDto, description: 'Price now (tax-inclusive)' }) unitPrice!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) lineTotal!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'This line’s share of the discounts' })
  discount!: MoneyDto;
  @ApiProperty({ type: 'integer', description: 'GST rate in basis points (500 = 5 %)' })
  taxRateBp!: number;
  @ApiProperty({ type: MoneyDto, description: 'The price when the line was added' })
  addedUnitPrice!: MoneyDto;
  @ApiPropertyOptional({ enum: ['up', 'down'], description: 'Absent when the price did not move' })
  priceChange?: 'up' | 'down';
  @ApiProperty({ type: 'integer', nullable: true, description: 'Units at the store now' })
  available!: number | null;
  @ApiPropertyOptional({
    enum: ['NOT_SOLD', 'OUT_OF_STOCK', 'SHORT', 'OVER_LIMIT'],
    description: 'What stops this line; absent when it can be bought as it is',
  })
  problem?: string;
}

class CartStoreDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) distanceM!: number;
}

class CartFeesDto {
  @ApiProperty({ type: MoneyDto }) delivery!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) smallBasket!: MoneyDto;
}

class CheckoutProblemDto {
  @ApiProperty({
    enum: [
      'EMPTY',
      'ADDRESS_REQUIRED',
      'NOT_SERVICEABLE',
      'STORE_BUSY',
      'PRODUCT_UNAVAILABLE',
      'INSUFFICIENT_STOCK',
      'QUANTITY_LIMIT',
      'BELOW_MINIMUM',
      'ORDER_TOO_LARGE',
    ],
  })
  code!: string;
  @ApiPropertyOptional({ type: [String], format: 'uuid' }) productIds?: string[];
}

class CheckoutStateDto {
  @ApiProperty() ready!: boolean;
  @ApiProperty({ type: [CheckoutProblemDto] }) problems!: CheckoutProblemDto[];
}

/** The cart priced now. `subtotal + fees.delivery + fees.smallBasket − discountTotal = total`. */
export class CartDto {
  @ApiProperty({
    description: 'Send it back to check out; it changes when anything priced changes',
  })
  version!: string;
  @ApiPropertyOptional({ type: AddressDto, description: 'Absent until an address is set' })
  address?: AddressDto;
  @ApiPropertyOptional({
    type: CartStoreDto,
    description: 'The store serving the address now; absent when none does',
  })
  store?: CartStoreDto;
  @ApiProperty({ type: [CartLineViewDto] }) lines!: CartLineViewDto[];
  @ApiProperty({ type: MoneyDto }) subtotal!: MoneyDto;
  @ApiProperty({ type: CartFeesDto }) fees!: CartFeesDto;
  @ApiProperty({ type: [OrderDiscountDto] }) discounts!: OrderDiscountDto[];
  @ApiProperty({ type: MoneyDto }) discountTotal!: MoneyDto;
  @ApiProperty({ type: [IncludedTaxDto] }) taxes!: IncludedTaxDto[];
  @ApiProperty({ type: MoneyDto }) total!: MoneyDto;
  @ApiProperty({ type: String, nullable: true }) promoCode!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Why the code does not apply now: PAUSED, NOT_STARTED, EXPIRED, WRONG_STORE, MIN_BASKET, FIRST_ORDER_ONLY, CUSTOMER_LIMIT, USAGE_LIMIT, NOTHING_TO_DISCOUNT, UNKNOWN',
  })
  promoCodeProblem!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) promisedBy!: string | null;
  @ApiProperty({ type: CheckoutStateDto }) checkout!: CheckoutStateDto;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
