import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderStatus } from '#libs/orders';
import { DISPATCH_EVENT_TYPES } from '../../dispatch/dto/dispatch-events.dto.js';
import { OrderEventActorDto } from './order-event-actor.dto.js';

// null is in the enum too: with OpenAPI 3.0, `nullable` does not extend an enum.
const NULLABLE_STATUSES = [...ORDER_STATUSES, null] as unknown as string[];
const ORDER_ID = '7d2c9a4e-5b1f-4c3a-9e8d-2f6a1b0c9d8e';
const STORE_ID = '1c3e5a7b-9d0f-4e2a-8b6c-4d2e0f1a3b5c';

/** What every event's `data` carries: the order's status, version and store after the event. */
@ApiSchema({ name: 'OrderEventData' })
export class OrderEventDataDto {
  @ApiProperty({ enum: ORDER_STATUSES, example: 'PACKED' }) status!: OrderStatus;
  @ApiProperty({ type: 'integer', example: 2 }) version!: number;
  @ApiProperty({ format: 'uuid', example: STORE_ID }) storeId!: string;
}

@ApiSchema({ name: 'OrderPlacedData' })
export class OrderPlacedDataDto extends OrderEventDataDto {
  @ApiProperty({ enum: ['PLACED', 'AWAITING_PAYMENT'], example: 'PLACED' })
  declare status: 'PLACED' | 'AWAITING_PAYMENT';
  @ApiProperty({ enum: ['cod', 'online'], example: 'cod' }) paymentMethod!: string;
  @ApiProperty({ type: 'integer', description: 'Order total, minor units (paise)', example: 24900 })
  total!: number;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T10:15:00.000Z' }) promisedBy!: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Auto-cancelled if not packed by then (an online order: from its capture)',
    example: '2026-11-26T10:10:00.000Z',
  })
  packBy?: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'An online order: auto-cancelled if not paid by then',
    example: '2026-11-26T10:15:00.000Z',
  })
  payBy?: string;
}

@ApiSchema({ name: 'PaymentEventData' })
export class PaymentEventDataDto extends OrderEventDataDto {
  @ApiPropertyOptional({ type: 'integer', description: 'Paise captured, refunded or collected' })
  amountMinor?: number;
  @ApiPropertyOptional({ example: 'pi_3Q0aBcDeFgHiJkLm' }) providerPaymentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) refundId?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Cash: paise collected' })
  collectedMinor?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Cash: paise due' }) dueMinor?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Cash: due − collected' })
  shortfallMinor?: number;
}

@ApiSchema({ name: 'OrderOutForDeliveryData' })
export class OrderOutForDeliveryDataDto extends OrderEventDataDto {
  @ApiProperty({ enum: ['OUT_FOR_DELIVERY'], example: 'OUT_FOR_DELIVERY' })
  declare status: 'OUT_FOR_DELIVERY';
  @ApiProperty({ format: 'uuid', example: '5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b' })
  riderId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'When a rider accepted an offer' })
  offerId?: string;
}

@ApiSchema({ name: 'OrderSlaBreachedData' })
export class OrderSlaBreachedDataDto extends OrderEventDataDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-26T10:15:00.000Z' }) promisedBy!: string;
}

/** The fields of every timeline event; each event type below narrows `type` and `data`. */
abstract class OrderEventBaseDto {
  @ApiProperty({ format: 'uuid', example: ORDER_ID }) orderId!: string;
  @ApiProperty({ type: 'integer', description: '1, 2, 3, … per order, no gaps', example: 1 })
  seq!: number;
  @ApiProperty({ enum: NULLABLE_STATUSES, nullable: true, type: String, example: null })
  fromStatus!: OrderStatus | null;
  @ApiProperty({ enum: NULLABLE_STATUSES, nullable: true, type: String, example: 'PLACED' })
  toStatus!: OrderStatus | null;
  @ApiProperty({ type: OrderEventActorDto }) actor!: OrderEventActorDto;
  @ApiProperty({ nullable: true, type: String, example: null }) reason!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T10:00:00.000Z' }) at!: string;
}

@ApiSchema({ name: 'OrderPlacedEvent', description: 'The first event of every order (seq 1)' })
export class OrderPlacedEventDto extends OrderEventBaseDto {
  @ApiProperty({ enum: ['order.placed'], example: 'order.placed' }) type!: 'order.placed';
  @ApiProperty({ type: OrderPlacedDataDto }) data!: OrderPlacedDataDto;
}

@ApiSchema({ name: 'OrderTransitionEvent', description: 'Packed, delivered or cancelled' })
export class OrderTransitionEventDto extends OrderEventBaseDto {
  @ApiProperty({
    enum: ['order.packed', 'order.delivered', 'order.cancelled'],
    example: 'order.packed',
  })
  type!: 'order.packed' | 'order.delivered' | 'order.cancelled';
  @ApiProperty({ type: OrderEventDataDto }) data!: OrderEventDataDto;
}

@ApiSchema({ name: 'OrderOutForDeliveryEvent', description: 'A rider took the order out' })
export class OrderOutForDeliveryEventDto extends OrderEventBaseDto {
  @ApiProperty({ enum: ['order.out_for_delivery'], example: 'order.out_for_delivery' })
  type!: 'order.out_for_delivery';
  @ApiProperty({ type: OrderOutForDeliveryDataDto }) data!: OrderOutForDeliveryDataDto;
}

@ApiSchema({
  name: 'OrderSlaBreachedEvent',
  description: 'The order missed its promised time (no status change; at most once per order)',
})
export class OrderSlaBreachedEventDto extends OrderEventBaseDto {
  @ApiProperty({ enum: ['order.sla_breached'], example: 'order.sla_breached' })
  type!: 'order.sla_breached';
  @ApiProperty({ type: OrderSlaBreachedDataDto }) data!: OrderSlaBreachedDataDto;
}

@ApiSchema({
  name: 'PaymentEvent',
  description:
    'Money moved or was asked for (docs/api.md "Payments"). payment.captured of an order awaiting payment places it (toStatus PLACED); the others change no status',
})
export class PaymentEventDto extends OrderEventBaseDto {
  @ApiProperty({
    enum: [
      'payment.pending',
      'payment.captured',
      'payment.failed',
      'payment.refund_requested',
      'payment.refunded',
      'payment.cod_collected',
    ],
    example: 'payment.captured',
  })
  type!: string;
  @ApiProperty({ type: PaymentEventDataDto }) data!: PaymentEventDataDto;
}

/**
 * One timeline event, by `type`: the `OrderEvent` schema of the document (a oneOf registered by
 * openapi-document.ts). A new event type gets its own class here and a place in this list.
 */
export const ORDER_EVENT_TYPES = [
  OrderPlacedEventDto,
  OrderTransitionEventDto,
  OrderOutForDeliveryEventDto,
  OrderSlaBreachedEventDto,
  PaymentEventDto,
  ...DISPATCH_EVENT_TYPES,
];

export const ORDER_EVENT_SCHEMA = {
  name: 'OrderEvent',
  schema: {
    description: 'An order timeline event; `type` says which, and what `data` holds',
    oneOf: ORDER_EVENT_TYPES.map((type) => ({ $ref: getSchemaPath(type) })),
  },
};

/** `$ref` to the OrderEvent union, for properties and responses. */
export const orderEventRef = { $ref: '#/components/schemas/OrderEvent' };

export type OrderEventDto =
  | OrderPlacedEventDto
  | OrderTransitionEventDto
  | OrderOutForDeliveryEventDto
  | OrderSlaBreachedEventDto
  | PaymentEventDto
  | InstanceType<(typeof DISPATCH_EVENT_TYPES)[number]>;
