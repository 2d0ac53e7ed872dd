import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { UserDto } from '../../auth/dto/auth.dto.js';
import { EmailDeliveryDto } from '../../notifications/dto/email-deliveries.dto.js';
import { NotificationPreferenceDto } from '../../notifications/dto/notification-preferences.dto.js';
import { NotificationDto } from '../../notifications/notifications.controller.js';
import { AddressDto as DeliveryAddressDto, OrderDto } from '../../orders/dto/orders.dto.js';
import { RatingDto } from '../../ratings/dto/ratings.dto.js';
import { SavedAddressDto } from './addresses.dto.js';

export class EraseAccountDto {
  @ApiProperty({ description: 'The account’s password, to confirm', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  password!: string;
}

class ExportedProfileDto extends UserDto {
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

class ExportedSessionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) revokedAt?: string;
  @ApiPropertyOptional({ example: 'logout' }) revokedReason?: string;
}

class ExportedAddressDto extends OmitType(SavedAddressDto, ['serviceable', 'servedBy']) {}

class ExportedCartLineDto {
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ format: 'date-time' }) addedAt!: string;
}

class ExportedCartDto {
  @ApiPropertyOptional({ type: DeliveryAddressDto }) address?: DeliveryAddressDto;
  @ApiPropertyOptional({ format: 'uuid' }) storeId?: string;
  @ApiPropertyOptional() promoCode?: string;
  @ApiProperty({ type: [ExportedCartLineDto] }) lines!: ExportedCartLineDto[];
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

class ExportedAccountTokenDto {
  @ApiProperty({ enum: ['password_reset', 'email_verification'] }) purpose!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) usedAt!:
    string | null;
}

class ExportedEmailDto extends EmailDeliveryDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'What was sent: subject, text and HTML bodies (absent until rendered)',
  })
  content?: Record<string, unknown>;
}

/** Everything FlashCart holds about the caller (docs/accounts.md), and nothing about anyone else. */
export class PersonalDataExportDto {
  @ApiProperty({ format: 'date-time' }) exportedAt!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ type: ExportedProfileDto }) profile!: ExportedProfileDto;
  @ApiProperty({
    type: [ExportedSessionDto],
    description: 'Sign-ins, without any token or hash',
  })
  sessions!: ExportedSessionDto[];
  @ApiProperty({
    type: [ExportedAccountTokenDto],
    description: 'Reset and verification links sent (never the token or its hash)',
  })
  accountTokens!: ExportedAccountTokenDto[];
  @ApiProperty({ type: [NotificationPreferenceDto] })
  notificationPreferences!: NotificationPreferenceDto[];
  @ApiProperty({ type: [ExportedEmailDto] }) emails!: ExportedEmailDto[];
  @ApiProperty({ type: [ExportedAddressDto] }) addresses!: ExportedAddressDto[];
  @ApiProperty({ type: [OrderDto], description: 'With items, totals and timeline, oldest first' })
  orders!: OrderDto[];
  @ApiProperty({ type: [NotificationDto] }) notifications!: NotificationDto[];
  @ApiProperty({ type: [RatingDto] }) ratings!: RatingDto[];
  @ApiPropertyOptional({ type: ExportedCartDto, description: 'Absent when there is no cart' })
  cart?: ExportedCartDto;
}

export class ErasedAccountDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ format: 'date-time' }) erasedAt!: string;
}
