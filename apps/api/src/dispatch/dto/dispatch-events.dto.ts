import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderStatus } from '#libs/orders';
import { OrderEventActorDto } from '../../orders/dto/order-event-actor.dto.js';

// The timeline events of dispatch and short picks (docs/dispatch.md). None changes the status.
// Self-contained (no import of order-event.dto.ts, which lists these: no import cycle).
const NULLABLE_STATUSES = [...ORDER_STATUSES, null] as unknown as string[];
const RIDER_ID = '5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b';

/** What every event's `data` carries (as OrderEventData). */
abstract class OrderEventDataDto {
  @ApiProperty({ enum: ORDER_STATUSES, example: 'PACKED' }) status!: OrderStatus;
  @ApiProperty({ type: 'integer', example: 3 }) version!: number;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
}

@ApiSchema({ name: 'PreviousOffer' })
export class PreviousOfferDto {
  @ApiProperty({ format: 'uuid', example: RIDER_ID }) riderId!: string;
  @ApiProperty({ enum: ['DECLINED', 'EXPIRED', 'WITHDRAWN'], example: 'EXPIRED' })
  outcome!: string;
}

@ApiSchema({ name: 'OrderRiderOfferedData' })
export class OrderRiderOfferedDataDto extends OrderEventDataDto {
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty({ format: 'uuid', example: RIDER_ID }) riderId!: string;
  @ApiProperty({ type: 'integer', example: 1 }) attempt!: number;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiPropertyOptional({ type: PreviousOfferDto, description: 'How the last offer ended' })
  previous?: PreviousOfferDto;
}

@ApiSchema({ name: 'OrderAwaitingRiderData' })
export class OrderAwaitingRiderDataDto extends OrderEventDataDto {
  @ApiProperty({ type: PreviousOfferDto }) previous!: PreviousOfferDto;
}

@ApiSchema({ name: 'OrderShortPickedData' })
export class OrderShortPickedDataDto extends OrderEventDataDto {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer', example: 3 }) ordered!: number;
  @ApiProperty({ type: 'integer', example: 1 }) found!: number;
  @ApiProperty({ type: 'integer', description: 'Taken off the total by this pick, paise' })
  refundMinor!: number;
  @ApiProperty({ type: 'integer', description: 'Owed back in all, paise' }) refundDueMinor!: number;
  @ApiProperty({ type: 'integer', description: 'The new total, paise' }) totalMinor!: number;
  @ApiProperty({ type: 'integer', description: 'Units written off the store’s count' })
  shrinkage!: number;
}

abstract class NoteEventBaseDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ type: 'integer', example: 3 }) seq!: number;
  @ApiProperty({ enum: NULLABLE_STATUSES, nullable: true, type: String, example: null })
  fromStatus!: OrderStatus | null;
  @ApiProperty({ enum: NULLABLE_STATUSES, nullable: true, type: String, example: null })
  toStatus!: OrderStatus | null;
  @ApiProperty({ type: OrderEventActorDto }) actor!: OrderEventActorDto;
  @ApiProperty({ nullable: true, type: String, example: null }) reason!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

@ApiSchema({ name: 'OrderRiderOfferedEvent', description: 'The order was offered to a rider' })
export class OrderRiderOfferedEventDto extends NoteEventBaseDto {
  @ApiProperty({ enum: ['order.rider_offered'], example: 'order.rider_offered' })
  type!: 'order.rider_offered';
  @ApiProperty({ type: OrderRiderOfferedDataDto }) data!: OrderRiderOfferedDataDto;
}

@ApiSchema({
  name: 'OrderAwaitingRiderEvent',
  description: 'An offer ended and nobody else is available: the order waits for a rider',
})
export class OrderAwaitingRiderEventDto extends NoteEventBaseDto {
  @ApiProperty({ enum: ['order.awaiting_rider'], example: 'order.awaiting_rider' })
  type!: 'order.awaiting_rider';
  @ApiProperty({ type: OrderAwaitingRiderDataDto }) data!: OrderAwaitingRiderDataDto;
}

@ApiSchema({
  name: 'OrderShortPickedEvent',
  description: 'A line was short while packing: lines, totals and the refund due changed',
})
export class OrderShortPickedEventDto extends NoteEventBaseDto {
  @ApiProperty({ enum: ['order.short_picked'], example: 'order.short_picked' })
  type!: 'order.short_picked';
  @ApiProperty({ type: OrderShortPickedDataDto }) data!: OrderShortPickedDataDto;
}

/** Dispatch's and short picks' members of the OrderEvent union. */
export const DISPATCH_EVENT_TYPES = [
  OrderRiderOfferedEventDto,
  OrderAwaitingRiderEventDto,
  OrderShortPickedEventDto,
];
