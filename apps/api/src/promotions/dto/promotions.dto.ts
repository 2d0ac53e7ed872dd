import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { Optional } from '#libs/platform';
import { MoneyDto } from '../../catalog/dto/catalog.dto.js';

const KINDS = ['percent', 'flat', 'free_delivery', 'buy_x_get_y'] as const;
const MAX_MINOR = 100_000_000;

/** Ids that limit where a promotion applies; null or absent = no limit. */
function IdList(description: string) {
  return function (target: object, key: string) {
    ApiPropertyOptional({ type: [String], format: 'uuid', nullable: true, description })(
      target,
      key,
    );
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(500)(target, key);
    IsUUID('all', { each: true })(target, key);
  };
}

export class CreatePromotionDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'WELCOME50',
    description: 'What the customer types (matched case-insensitively); null or absent: automatic',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{2,31}$/, {
    message: 'code must be 3-32 letters, digits, _ or -, starting with a letter or digit',
  })
  code?: string | null;

  @ApiProperty({ example: '₹50 off your first order' }) @IsString() @Length(1, 120) name!: string;

  @ApiProperty({ enum: KINDS }) @IsIn(KINDS) kind!: (typeof KINDS)[number];

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 10_000,
    description: 'percent: basis points (1000 = 10 %)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  percentBp?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'percent: the most it takes off, paise',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  maxDiscountMinor?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    description: 'flat: paise off',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR)
  amountMinor?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 100,
    description: 'buy_x_get_y: units bought',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  buyQuantity?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 100,
    description: 'buy_x_get_y: units free',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  freeQuantity?: number | null;

  @IdList('Eligible products (a line qualifies by product or category)')
  productIds?: string[] | null;
  @IdList('Eligible categories') categoryIds?: string[] | null;
  @IdList('Stores where it applies') storeIds?: string[] | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    default: 0,
    description: 'Paise of items needed',
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  minBasketMinor?: number;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  startsAt?: Date | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  endsAt?: Date | null;

  @ApiPropertyOptional({ default: false }) @Optional() @IsBoolean() firstOrderOnly?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    description: 'Uses per customer',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  perCustomerLimit?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, description: 'Uses in all' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  usageLimit?: number | null;

  @ApiPropertyOptional({ default: false, description: 'A paused promotion applies nowhere' })
  @Optional()
  @IsBoolean()
  paused?: boolean;
}

export class UpdatePromotionDto extends PartialType(CreatePromotionDto, {
  skipNullProperties: false,
}) {}

export class PromotionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) code!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: KINDS }) kind!: string;
  @ApiProperty({ type: 'integer', nullable: true }) percentBp!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) maxDiscountMinor!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) amountMinor!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) buyQuantity!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) freeQuantity!: number | null;
  @ApiProperty({ type: [String], nullable: true }) productIds!: string[] | null;
  @ApiProperty({ type: [String], nullable: true }) categoryIds!: string[] | null;
  @ApiProperty({ type: [String], nullable: true }) storeIds!: string[] | null;
  @ApiProperty({ type: 'integer' }) minBasketMinor!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startsAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endsAt!: string | null;
  @ApiProperty() firstOrderOnly!: boolean;
  @ApiProperty({ type: 'integer', nullable: true }) perCustomerLimit!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) usageLimit!: number | null;
  @ApiProperty({ type: 'integer', description: 'Uses held by orders not cancelled' }) used!: number;
  @ApiProperty() paused!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

class RedemptionDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
  @ApiProperty({ format: 'date-time' }) redeemedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) releasedAt!: string | null;
}

export class PromotionUsageDto {
  @ApiProperty({ type: PromotionDto }) promotion!: PromotionDto;
  @ApiProperty({ type: 'integer', description: 'Uses given back by cancelled orders' })
  released!: number;
  @ApiProperty({ type: MoneyDto, description: 'Discounts of the orders holding a use' })
  discountGiven!: MoneyDto;
  @ApiProperty({ type: [RedemptionDto], description: 'The latest 50' }) recent!: RedemptionDto[];
}
