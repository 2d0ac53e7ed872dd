import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsIn, ValidateNested } from 'class-validator';
import { SECURITY_KINDS, SWITCHABLE_KINDS, type SwitchableKind } from '#libs/notifications';
import { Optional } from '#libs/platform';

const ALL_KINDS = [...SWITCHABLE_KINDS, ...SECURITY_KINDS];

export class NotificationPreferenceDto {
  @ApiProperty({ enum: ALL_KINDS, example: 'order_delivered' }) kind!: string;
  @ApiProperty({ description: 'In the in-app inbox (GET /v1/notifications)' }) inApp!: boolean;
  @ApiProperty({ description: 'By email' }) email!: boolean;
  @ApiProperty({ description: 'Security mails (reset, verification): always sent, not switchable' })
  locked!: boolean;
}

export class NotificationPreferencesDto {
  @ApiProperty({ type: [NotificationPreferenceDto] }) preferences!: NotificationPreferenceDto[];
}

export class PreferenceChangeDto {
  @ApiProperty({ enum: SWITCHABLE_KINDS, example: 'order_delivered' })
  @IsIn(SWITCHABLE_KINDS)
  kind!: SwitchableKind;

  @ApiPropertyOptional() @Optional() @IsBoolean() inApp?: boolean;
  @ApiPropertyOptional() @Optional() @IsBoolean() email?: boolean;
}

export class UpdateNotificationPreferencesDto {
  @ApiProperty({
    type: [PreferenceChangeDto],
    maxItems: 20,
    description: 'Only the kinds and channels given change',
  })
  @ValidateNested({ each: true })
  @ArrayMaxSize(20)
  @Type(() => PreferenceChangeDto)
  preferences!: PreferenceChangeDto[];
}
