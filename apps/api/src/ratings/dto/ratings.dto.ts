import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Optional } from '#libs/platform';
import { MAX_RIDER_COMMENT } from '#libs/ratings';

export class RateOrderDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, description: 'The order, 1 to 5' })
  @IsInt()
  @Min(1)
  @Max(5)
  orderScore!: number;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 5,
    description: 'The rider, 1 to 5',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(5)
  riderScore?: number;
  @ApiPropertyOptional({
    maxLength: MAX_RIDER_COMMENT,
    description: 'About the rider (needs riderScore)',
  })
  @Optional()
  @IsString()
  @MaxLength(MAX_RIDER_COMMENT)
  riderComment?: string;
}

export class RatingDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) riderId?: string;
  @ApiProperty({ type: 'integer' }) orderScore!: number;
  @ApiPropertyOptional({ type: 'integer' }) riderScore?: number;
  @ApiPropertyOptional() riderComment?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class RatingsSummaryQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this store' })
  @Optional()
  @IsUUID()
  storeId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this rider' })
  @Optional()
  @IsUUID()
  riderId?: string;
}

class StoreScoreDto {
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ type: 'integer' }) ratings!: number;
  @ApiProperty({ description: 'Mean order score, two decimals', example: 4.25 })
  average!: number;
}

class RiderScoreDto {
  @ApiProperty({ format: 'uuid' }) riderId!: string;
  @ApiProperty({ type: 'integer' }) ratings!: number;
  @ApiProperty({ description: 'Mean rider score, two decimals', example: 4.5 }) average!: number;
}

export class RatingsSummaryDto {
  @ApiProperty({ type: [StoreScoreDto] }) stores!: StoreScoreDto[];
  @ApiProperty({ type: [RiderScoreDto] }) riders!: RiderScoreDto[];
}
