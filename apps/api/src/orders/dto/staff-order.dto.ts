import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { MAX_STAFF_NOTE_LENGTH } from '#libs/orders';
import { OfferDto } from '../../dispatch/dto/dispatch.dto.js';
import { OrderDto } from './orders.dto.js';

export class StaffPersonDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
}

export class StaffStoreDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() code!: string;
  @ApiProperty() latitude!: number;
  @ApiProperty() longitude!: number;
  @ApiProperty({ type: 'integer' }) serviceRadiusM!: number;
}

export class StaffOfferDto extends OfferDto {
  @ApiProperty({ nullable: true, type: String }) riderName!: string | null;
}

export class StaffNoteDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) authorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) authorName!: string | null;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ProductImageDto {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ nullable: true, type: String }) imageUrl!: string | null;
}

/** One order as store staff see it: the customer's contact, offers and internal notes too. */
export class StaffOrderDto {
  @ApiProperty({ type: OrderDto, description: 'With its whole timeline' }) order!: OrderDto;
  @ApiProperty({ type: StaffPersonDto }) customer!: StaffPersonDto;
  @ApiPropertyOptional({ type: StaffPersonDto, description: 'Absent until sent out' })
  rider?: StaffPersonDto;
  @ApiProperty({ type: StaffStoreDto }) store!: StaffStoreDto;
  @ApiProperty({ type: [StaffOfferDto], description: 'Every offer to a rider, oldest first' })
  offers!: StaffOfferDto[];
  @ApiProperty({ type: [StaffNoteDto], description: 'Staff only: never shown to the customer' })
  notes!: StaffNoteDto[];
  @ApiProperty({ type: [ProductImageDto], description: 'The lines’ product images' })
  images!: ProductImageDto[];
}

export class AddStaffNoteDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_STAFF_NOTE_LENGTH })
  @IsString()
  @Length(1, MAX_STAFF_NOTE_LENGTH)
  body!: string;
}
