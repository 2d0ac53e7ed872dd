import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  NotEquals,
} from 'class-validator';
import { Optional } from '#libs/platform';
import { PageQuery, QueryNumber } from '../../pagination/page-query.dto.js';

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$/;

export class CreateCategoryDto {
  @ApiProperty({ example: 'Dairy & Eggs' }) @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ example: 'dairy-eggs' })
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'slug must be lower-case words joined by hyphens',
  })
  @MaxLength(100)
  slug!: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;
  @ApiPropertyOptional({ type: 'integer' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  sortOrder?: number;
}
export class UpdateCategoryDto extends PartialType(CreateCategoryDto, {
  skipNullProperties: false,
}) {}

export class CreateProductDto {
  @ApiProperty({ example: 'DAIRY-MILK-500' })
  @Matches(/^[A-Za-z0-9-]{2,64}$/, { message: 'sku must be 2-64 letters, digits or hyphens' })
  sku!: string;
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(2000) description?: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() categoryId!: string;
  @ApiProperty({ type: 'integer', example: 4500, description: 'Integer paise' })
  @IsInt({ message: 'priceMinor must be an integer number of paise' })
  @Min(0)
  @Max(10_000_000)
  priceMinor!: number;
  @ApiProperty({ example: '500 ml' }) @IsString() @Length(1, 40) unitLabel!: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(2000)
  imageUrl?: string | null;
  @ApiPropertyOptional({ type: 'integer', default: 10 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxPerOrder?: number;
  @ApiPropertyOptional({
    type: 'integer',
    default: 500,
    minimum: 0,
    maximum: 10_000,
    description: 'GST rate included in the price, in basis points (500 = 5 %)',
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  taxRateBp?: number;
  @ApiPropertyOptional({ default: true }) @Optional() @IsBoolean() active?: boolean;
}
export class UpdateProductDto extends PartialType(CreateProductDto, {
  skipNullProperties: false,
}) {}

export class CreateStoreDto {
  @ApiProperty({ example: 'Indiranagar' }) @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ example: 'BLR-IND' })
  @Matches(/^[A-Za-z0-9-]{2,32}$/, { message: 'code must be 2-32 letters, digits or hyphens' })
  code!: string;
  @ApiProperty({ example: 12.9719 }) @IsNumber() @IsLatitude() latitude!: number;
  @ApiProperty({ example: 77.6412 }) @IsNumber() @IsLongitude() longitude!: number;
  @ApiProperty({ type: 'integer', example: 3000 })
  @IsInt()
  @Min(100)
  @Max(50_000)
  serviceRadiusM!: number;
  @ApiPropertyOptional({ example: '07:00', description: 'Local time; equal to closesAt = 24 h' })
  @Optional()
  @Matches(TIME, { message: 'opensAt must be HH:MM' })
  opensAt?: string;
  @ApiPropertyOptional({ example: '23:00' })
  @Optional()
  @Matches(TIME, { message: 'closesAt must be HH:MM' })
  closesAt?: string;
  @ApiPropertyOptional({ example: 'Asia/Kolkata' })
  @Optional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
  @ApiPropertyOptional({ default: true }) @Optional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({
    default: false,
    description: 'Closed now by hand, whatever the opening hours: no new orders or carts while set',
  })
  @Optional()
  @IsBoolean()
  closedNow?: boolean;
  @ApiPropertyOptional({
    type: 'integer',
    default: 40,
    minimum: 1,
    maximum: 10_000,
    description: 'Orders the store may hold in PLACED + PACKED at once (409 STORE_BUSY beyond)',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  maxOpenOrders?: number;
}
export class UpdateStoreDto extends PartialType(CreateStoreDto, { skipNullProperties: false }) {}

export class StoreDto extends CreateStoreDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
}

const ADMIN_REASONS = ['restock', 'adjustment'] as const;

export class SetStockDto {
  @ApiProperty({ type: 'integer', example: 40 }) @IsInt() @Min(0) @Max(1_000_000) quantity!: number;
  @ApiProperty({ enum: ADMIN_REASONS })
  @IsIn(ADMIN_REASONS)
  reason!: (typeof ADMIN_REASONS)[number];
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(500) note?: string;
}

export class AdjustStockDto {
  @ApiProperty({ type: 'integer', example: -3, description: 'Non-zero change' })
  @IsInt()
  @NotEquals(0)
  @Min(-1_000_000)
  @Max(1_000_000)
  delta!: number;
  @ApiProperty({ enum: ADMIN_REASONS })
  @IsIn(ADMIN_REASONS)
  reason!: (typeof ADMIN_REASONS)[number];
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(500) note?: string;
}

export class StockLevelDto {
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
}

export class AdminProductListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the SKU or name, case-insensitive' })
  @Optional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class StockListQuery extends PageQuery {
  @ApiPropertyOptional({ type: 'integer', description: 'Only rows with quantity at or below this' })
  @Optional()
  @QueryNumber()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  lowStock?: number;
}

/** A category as stored (create/update answer this; the tree is CategoryNodeDto). */
export class CategoryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) parentId!: string | null;
  @ApiProperty({ type: 'integer' }) sortOrder!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** One row of the stock ledger. */
export class StockMovementDto {
  @ApiProperty({ description: 'bigint, as a string' }) id!: string;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ format: 'uuid' }) productId!: string;
  @ApiProperty({ type: 'integer' }) delta!: number;
  @ApiProperty({ type: 'integer' }) quantityAfter!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) orderId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class StockMovementPageDto {
  @ApiProperty({ type: [StockMovementDto] }) items!: StockMovementDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class StockRowDto extends StockLevelDto {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class StockRowPageDto {
  @ApiProperty({ type: [StockRowDto] }) items!: StockRowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
