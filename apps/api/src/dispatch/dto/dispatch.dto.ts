import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsLatitude, IsLongitude, IsNumber, IsUUID, Max, Min } from 'class-validator';
import { OFFER_STATUSES, RIDER_STATES, type OfferStatus, type RiderState } from '#libs/dispatch';
import { Optional } from '#libs/platform';
import { AddressDto } from '../../orders/dto/orders.dto.js';

export class ShiftChangeDto {
  @ApiProperty({ enum: ['AVAILABLE', 'OFF_DUTY'], description: 'On shift (AVAILABLE) or off' })
  @IsIn(['AVAILABLE', 'OFF_DUTY'])
  state!: 'AVAILABLE' | 'OFF_DUTY';
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The store you work for: required the first time, changeable when carrying nothing',
  })
  @Optional()
  @IsUUID()
  storeId?: string;
  @ApiPropertyOptional({ example: 12.9719, description: 'Your position (with lng)' })
  @Optional()
  @IsNumber()
  @IsLatitude()
  lat?: number;
  @ApiPropertyOptional({ example: 77.6412 })
  @Optional()
  @IsNumber()
  @IsLongitude()
  lng?: number;
}

export class PositionDto {
  @ApiProperty() lat!: number;
  @ApiProperty() lng!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class RiderDto {
  @ApiProperty({ format: 'uuid' }) riderId!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) storeId!: string | null;
  @ApiProperty({
    enum: RIDER_STATES,
    description: 'OFF_DUTY off shift; BUSY carrying as many orders as allowed; else AVAILABLE',
  })
  state!: RiderState;
  @ApiProperty({ type: 'integer', description: 'Orders out for delivery with this rider' })
  load!: number;
  @ApiProperty({ type: 'integer', description: 'RIDER_MAX_ORDERS' }) maxLoad!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) openOfferId!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) since!: string | null;
  @ApiPropertyOptional({
    type: PositionDto,
    description: 'Last known (shift changes and tracking positions); absent when never sent',
  })
  lastPosition?: PositionDto;
}

export class OfferOrderDto {
  @ApiProperty({ type: AddressDto }) address!: AddressDto;
  @ApiProperty({ type: 'integer', description: 'Units to carry' }) itemCount!: number;
  @ApiProperty({ format: 'date-time' }) promisedBy!: string;
  @ApiProperty({ example: 'PACKED' }) status!: string;
}

export class OfferDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ format: 'uuid' }) riderId!: string;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ enum: OFFER_STATUSES }) status!: OfferStatus;
  @ApiProperty({ type: 'integer', description: '1 for the order’s first offer' }) attempt!: number;
  @ApiProperty({ format: 'date-time' }) offeredAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) answeredAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'declined, off_shift, timeout, sent_out, order_cancelled',
  })
  endReason!: string | null;
  @ApiPropertyOptional({ type: OfferOrderDto, description: 'Open offers: the order to decide on' })
  order?: OfferOrderDto;
}

export class ShortPickDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 99,
    description: 'Units actually found (less than ordered; 0 removes the line)',
  })
  @IsInt()
  @Min(0)
  @Max(99)
  found!: number;
}
