import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { EMAIL_DELIVERY_STATES, type EmailDeliveryState } from '#libs/notifications';
import { Optional } from '#libs/platform';
import { PageQuery } from '../../pagination/page-query.dto.js';

export class ListEmailDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: EMAIL_DELIVERY_STATES, example: 'dead' })
  @Optional()
  @IsIn(EMAIL_DELIVERY_STATES)
  state?: EmailDeliveryState;
}

export class EmailDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ example: 'order_delivered' }) kind!: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) orderId!: string | null;
  @ApiProperty({ enum: EMAIL_DELIVERY_STATES }) state!: string;
  @ApiProperty({ type: 'integer', description: 'Send attempts so far (since the last retry)' })
  attempts!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ description: 'The Message-ID header: the same on every copy of this email' })
  messageId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) sentAt!:
    string | null;
}

export class EmailDeliveryPageDto {
  @ApiProperty({ type: [EmailDeliveryDto] }) items!: EmailDeliveryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
