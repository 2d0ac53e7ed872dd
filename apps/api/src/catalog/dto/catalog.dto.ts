import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import { Optional } from '#libs/platform';
import { PageQuery, QueryNumber } from '../../pagination/page-query.dto.js';
import { DEMO_ADDRESS } from '../../cli/demo-catalog.js';

/** Query strings are text: "true"/"false" become booleans, anything else is rejected. */
export const QueryBoolean = () =>
  Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  );

export class MoneyDto {
  @ApiProperty({ type: 'integer', example: 4500, description: 'Integer minor units (paise)' })
  amount!: number;
  @ApiProperty({ example: 'INR' }) currency!: string;
}

export class ProductDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'DAIRY-MILK-500' }) sku!: string;
  @ApiProperty({ example: 'Toned Milk' }) name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'uuid' }) categoryId!: string;
  @ApiProperty({ type: MoneyDto }) price!: MoneyDto;
  @ApiProperty({ example: '500 ml' }) unit!: string;
  @ApiProperty({ nullable: true, type: String }) imageUrl!: string | null;
  @ApiProperty({ type: 'integer', example: 10 }) maxPerOrder!: number;
  @ApiProperty({
    type: 'integer',
    example: 500,
    description: 'GST rate included in the price, basis points',
  })
  taxRateBp!: number;
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Units at the requested store (with storeId)',
  })
  available?: number;
}

export class ProductPageDto {
  @ApiProperty({ type: [ProductDto] }) items!: ProductDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class BrowseProductsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Name search: case-insensitive prefix of the name or of a word',
  })
  @Optional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ description: 'Category slug or id (includes subcategories)' })
  @Optional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Adds `available` for this store' })
  @Optional()
  @IsUUID()
  storeId?: string;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'Only products the store has (needs storeId)',
  })
  @Optional()
  @QueryBoolean()
  @IsBoolean()
  inStock?: boolean;
}

export class ProductQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  storeId?: string;
}

export class ServiceableQuery {
  @ApiProperty({ example: DEMO_ADDRESS.lat })
  @QueryNumber()
  @IsNumber()
  @IsLatitude()
  lat!: number;

  @ApiProperty({ example: DEMO_ADDRESS.lng })
  @QueryNumber()
  @IsNumber()
  @IsLongitude()
  lng!: number;
}

export class ServiceableStoreDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() code!: string;
  @ApiProperty() latitude!: number;
  @ApiProperty() longitude!: number;
  @ApiProperty({ type: 'integer' }) serviceRadiusM!: number;
  @ApiProperty({ type: 'integer', description: 'Haversine distance from the point, whole metres' })
  distanceM!: number;
  @ApiProperty({
    description:
      'At its limit of orders being packed: placing there now is refused (409 STORE_BUSY) or goes to another store',
  })
  busy!: boolean;
}

export class CategoryNodeDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ type: 'integer' }) sortOrder!: number;
  @ApiProperty({ type: () => [CategoryNodeDto] }) children!: CategoryNodeDto[];
}
