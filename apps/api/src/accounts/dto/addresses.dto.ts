import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { Optional } from '#libs/platform';
import { DEMO_ADDRESS } from '../../cli/demo-catalog.js';

export class CreateAddressDto {
  @ApiProperty({ example: 'Home', minLength: 1, maxLength: 40 })
  @IsString()
  @Length(1, 40)
  label!: string;
  @ApiProperty({ example: DEMO_ADDRESS.line1, minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  line1!: string;
  @ApiPropertyOptional({ maxLength: 200 }) @Optional() @IsString() @MaxLength(200) line2?: string;
  @ApiProperty({ example: DEMO_ADDRESS.city, minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  city!: string;
  @ApiProperty({ example: DEMO_ADDRESS.pincode, pattern: '^[1-9][0-9]{5}$' })
  @Matches(/^[1-9][0-9]{5}$/, { message: 'pincode must be a 6-digit Indian PIN code' })
  pincode!: string;
  @ApiProperty({ example: DEMO_ADDRESS.lat, minimum: -90, maximum: 90 })
  @IsNumber()
  @IsLatitude()
  lat!: number;
  @ApiProperty({ example: DEMO_ADDRESS.lng, minimum: -180, maximum: 180 })
  @IsNumber()
  @IsLongitude()
  lng!: number;
  @ApiPropertyOptional({ maxLength: 300, description: 'For the rider: gate code, landmark' })
  @Optional()
  @IsString()
  @MaxLength(300)
  instructions?: string;
  @ApiPropertyOptional({
    description: 'Make it the default (the first address always is)',
  })
  @Optional()
  @IsBoolean()
  isDefault?: boolean;
}

/** Every field optional; `isDefault: true` makes it the default. */
export class UpdateAddressDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 40 })
  @Optional()
  @IsString()
  @Length(1, 40)
  label?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @Optional()
  @IsString()
  @Length(1, 200)
  line1?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @Optional() @IsString() @MaxLength(200) line2?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @Optional()
  @IsString()
  @Length(1, 100)
  city?: string;
  @ApiPropertyOptional({ example: DEMO_ADDRESS.pincode, pattern: '^[1-9][0-9]{5}$' })
  @Optional()
  @Matches(/^[1-9][0-9]{5}$/, { message: 'pincode must be a 6-digit Indian PIN code' })
  pincode?: string;
  @ApiPropertyOptional({ minimum: -90, maximum: 90 })
  @Optional()
  @IsNumber()
  @IsLatitude()
  lat?: number;
  @ApiPropertyOptional({ minimum: -180, maximum: 180 })
  @Optional()
  @IsNumber()
  @IsLongitude()
  lng?: number;
  @ApiPropertyOptional({ maxLength: 300 })
  @Optional()
  @IsString()
  @MaxLength(300)
  instructions?: string;
  @ApiPropertyOptional({ description: 'true makes it the default (false is ignored)' })
  @Optional()
  @IsBoolean()
  isDefault?: boolean;
}

class ServingStoreDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) distanceM!: number;
}

export class SavedAddressDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() label!: string;
  @ApiProperty() line1!: string;
  @ApiPropertyOptional() line2?: string;
  @ApiProperty() city!: string;
  @ApiProperty() pincode!: string;
  @ApiProperty() lat!: number;
  @ApiProperty() lng!: number;
  @ApiPropertyOptional() instructions?: string;
  @ApiProperty() isDefault!: boolean;
  @ApiProperty({ description: 'Whether a store delivers there now' }) serviceable!: boolean;
  @ApiPropertyOptional({
    type: ServingStoreDto,
    description: 'The nearest open store serving it now; absent when none does',
  })
  servedBy?: ServingStoreDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
