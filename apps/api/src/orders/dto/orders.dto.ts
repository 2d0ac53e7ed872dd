import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsLatitude,
  IsObject,
  IsLongitude,
  IsNumber,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Optional } from '#libs/platform';
import {
  MAX_EVENT_SEQ,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  STORE_CANCEL_REASONS,
  type OrderStatus,
  type PaymentMethod,
  type StoreCancelReason,
} from '#libs/orders';
import { MoneyDto } from '../../catalog/dto/catalog.dto.js';
import { DEMO_ADDRESS } from '../../cli/demo-catalog.js';
import { PageQuery, QueryNumber } from '../../pagination/page-query.dto.js';
import { orderEventRef, type OrderEventDto } from './order-event.dto.js';

export class OrderLineDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() productId!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;
}

export class AddressDto {
  @ApiProperty({ example: DEMO_ADDRESS.line1 })
  @IsString()
  @Length(1, 200)
  line1!: string;
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(200) line2?: string;
  @ApiProperty({ example: DEMO_ADDRESS.city }) @IsString() @Length(1, 100) city!: string;
  @ApiProperty({ example: DEMO_ADDRESS.pincode })
  @Matches(/^[1-9][0-9]{5}$/, { message: 'pincode must be a 6-digit Indian PIN code' })
  pincode!: string;
  @ApiProperty({ example: DEMO_ADDRESS.lat }) @IsNumber() @IsLatitude() lat!: number;
  @ApiProperty({ example: DEMO_ADDRESS.lng }) @IsNumber() @IsLongitude() lng!: number;
  @ApiPropertyOptional({ maxLength: 300, description: 'For the rider: gate code, landmark' })
  @Optional()
  @IsString()
  @MaxLength(300)
  instructions?: string;
}

/** No price fields: the server prices everything, and unknown fields are rejected (400). */
export class PlaceOrderDto {
  @ApiProperty({
    type: [OrderLineDto],
    description: 'Lines of the same product are merged; at most 50 products',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'items must not be empty' })
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  items!: OrderLineDto[];

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
      'One of my saved addresses (GET /v1/account/addresses), instead of `address`; the order keeps a copy',
  })
  @Optional()
  @IsUUID()
  addressId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Default: the nearest open store serving the address',
  })
  @Optional()
  @IsUUID()
  storeId?: string;

  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(500) note?: string;

  @ApiPropertyOptional({
    example: 'WELCOME50',
    description:
      'A promotion code (422 PROMOTION_UNKNOWN or PROMOTION_NOT_APPLICABLE if it does not apply)',
  })
  @Optional()
  @IsString()
  @Length(3, 32)
  promoCode?: string;

  @ApiPropertyOptional({
    enum: PAYMENT_METHODS,
    // (no `default`: openapi-typescript would make the field required)
    description:
      'cod (the default): pay at the door. online: the order waits (AWAITING_PAYMENT) until paid through POST /v1/orders/{id}/payment',
  })
  @Optional()
  @IsIn(PAYMENT_METHODS)
  paymentMethod?: PaymentMethod;
}

export class CancelOrderDto {
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(500) reason?: string;
}

export class AdminTransitionDto {
  @ApiProperty({ enum: ['PACKED', 'OUT_FOR_DELIVERY', 'CANCELLED'] })
  @IsIn(ORDER_STATUSES)
  to!: OrderStatus;
  @ApiPropertyOptional({
    enum: STORE_CANCEL_REASONS,
    description: 'Why the store cancels (CANCELLED): one of a fixed list',
  })
  @Optional()
  @IsIn(STORE_CANCEL_REASONS)
  reason?: StoreCancelReason;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Required for OUT_FOR_DELIVERY: a rider on shift at the order’s store',
  })
  @Optional()
  @IsUUID()
  riderId?: string;
}

export class RiderTransitionDto {
  @ApiProperty({ enum: ['DELIVERED'] }) @IsIn(['DELIVERED']) to!: 'DELIVERED';
}

export class OrderListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @Optional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}

export class AdminOrderListQuery extends OrderListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @Optional() @IsUUID() storeId?: string;
  @ApiPropertyOptional({
    maxLength: 200,
    description:
      'Search: an order id (or its first 8 or more characters), a customer’s email, or phone number',
  })
  @Optional()
  @IsString()
  @MaxLength(200)
  q?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Placed at or after' })
  @Optional()
  @IsDateString()
  from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Placed before' })
  @Optional()
  @IsDateString()
  to?: string;
}

export class EventsQuery {
  @ApiPropertyOptional({ type: 'integer', default: 0 })
  @Optional()
  @QueryNumber()
  @IsInt()
  @Min(0)
  @Max(MAX_EVENT_SEQ)
  afterSeq: number = 0;
}

export class OrderItemDto {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: MoneyDto }) unitPrice!: MoneyDto;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: MoneyDto }) lineTotal!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'This line’s share of the discounts' })
  discount!: MoneyDto;
  @ApiProperty({ type: 'integer', description: 'GST rate included, basis points (500 = 5 %)' })
  taxRateBp!: number;
}

export class OrderDiscountDto {
  @ApiProperty({ format: 'uuid' }) promotionId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null: an automatic promotion' })
  code!: string | null;
  @ApiProperty({ example: '10% off fruit' }) name!: string;
  @ApiProperty({ enum: ['percent', 'flat', 'free_delivery', 'buy_x_get_y'] }) kind!: string;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
}

export class IncludedTaxDto {
  @ApiProperty({ type: 'integer', example: 500 }) rateBp!: number;
  @ApiProperty({ type: MoneyDto }) taxable!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Tax included in `taxable`' }) tax!: MoneyDto;
}

export class OrderDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ enum: PAYMENT_METHODS }) paymentMethod!: PaymentMethod;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) riderId!: string | null;
  @ApiProperty({ type: [OrderItemDto] }) items!: OrderItemDto[];
  @ApiProperty({ type: MoneyDto }) subtotal!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) deliveryFee!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) smallBasketFee!: MoneyDto;
  @ApiProperty({ type: [OrderDiscountDto], description: 'The promotions applied, as applied' })
  discounts!: OrderDiscountDto[];
  @ApiProperty({ type: MoneyDto, description: 'The sum of `discounts`' }) discount!: MoneyDto;
  @ApiProperty({ type: [IncludedTaxDto], description: 'Tax included in the total, per rate' })
  taxes!: IncludedTaxDto[];
  @ApiProperty({
    type: MoneyDto,
    description: 'subtotal + deliveryFee + smallBasketFee − discount',
  })
  total!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Owed back after short picks (0 otherwise)' })
  refundDue!: MoneyDto;
  @ApiProperty({ type: AddressDto }) address!: AddressDto;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelReason!: string | null;
  @ApiProperty({ format: 'date-time' }) promisedBy!: string;
  @ApiProperty({ format: 'date-time' }) placedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ type: 'array', items: orderEventRef, description: 'In seq order' })
  timeline?: OrderEventDto[];
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderDto] }) items!: OrderDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
